package io.flowtap.telemetry;

import io.flowtap.flow.FlowLifecycle;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.flow.PurgeReason;
import io.flowtap.schemas.NetifySchemas;
import io.flowtap.testing.TestEvents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static io.flowtap.testing.TestEvents.ACK;
import static io.flowtap.testing.TestEvents.SYN;
import static org.assertj.core.api.Assertions.assertThat;

class FlowJsonTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final FlowJson json = new FlowJson();

    private static FlowState tcpFlow() {
        FlowLifecycle l = new FlowLifecycle(FlowSettings.defaults());
        TestEvents tcp = TestEvents.tcp("192.168.1.10", 51000, "93.184.216.34", 443);
        FlowState s =
                l.onEvent(null, tcp.client(1_000, 74, SYN, 100, 0, 0), FlowLifecycle.Output.NONE);
        s = l.onEvent(s, tcp.server(1_010, 74, SYN | ACK, 500, 101, 0), FlowLifecycle.Output.NONE);
        return l.onEvent(s, tcp.client(1_020, 66, ACK, 101, 501, 0), FlowLifecycle.Output.NONE);
    }

    private static JsonNode parse(byte[] b) throws Exception {
        return MAPPER.readTree(b);
    }

    private static void assertValid(String schema, JsonNode n) {
        assertThat(NetifySchemas.validate(schema, n)).isEmpty();
        assertThat(NetifySchemas.undeclaredProperties(schema, n)).isEmpty();
    }

    /** The dpi_complete record made from the flow record is the one rendered on its own. */
    @Test
    void aRecordOfAnotherTypeFromTheSameBodyIsTheRenderedOne() throws Exception {
        FlowState f = tcpFlow();
        byte[] flow = json.flow(f);
        byte[] complete = json.flow(f, FlowJson.TYPE_FLOW_DPI_COMPLETE);
        assertThat(FlowJson.asDpiComplete(flow)).isEqualTo(complete);
        assertThat(parse(complete).get("type").asText()).isEqualTo("flow_dpi_complete");
        org.assertj.core.api.Assertions.assertThatThrownBy(
                        () -> FlowJson.asDpiComplete(json.stats(f)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flowRecordPresentsTheLocalSide() throws Exception {
        JsonNode n = parse(json.flow(tcpFlow()));
        assertValid(NetifySchemas.FLOW, n);
        JsonNode f = n.get("flow");
        assertThat(n.get("type").asText()).isEqualTo("flow");
        assertThat(n.get("interface").asText()).isEqualTo("eth0");
        assertThat(n.get("internal").asBoolean()).isTrue();
        assertThat(f.get("local_ip").asText()).isEqualTo("192.168.1.10");
        assertThat(f.get("local_port").asInt()).isEqualTo(51000);
        assertThat(f.get("other_ip").asText()).isEqualTo("93.184.216.34");
        assertThat(f.get("other_port").asInt()).isEqualTo(443);
        assertThat(f.get("other_type").asText()).isEqualTo("remote");
        assertThat(f.get("local_origin").asBoolean()).isTrue();
        assertThat(f.get("local_packets").asLong()).isEqualTo(2);
        assertThat(f.get("local_bytes").asLong()).isEqualTo(140);
        assertThat(f.get("other_packets").asLong()).isEqualTo(1);
        assertThat(f.get("total_bytes").asLong()).isEqualTo(214);
        assertThat(f.get("first_seen_at").asLong()).isEqualTo(1_000);
        assertThat(f.get("last_seen_at").asLong()).isEqualTo(1_020);
        assertThat(f.get("detected_protocol_name").asText()).isEqualTo("Unknown");
        assertThat(f.get("local_mac").asText()).isEqualTo("00:00:00:00:00:00");
        assertThat(f.get("digest").asText()).hasSize(40);
        assertThat(f.get("tcp").get("resets").asInt()).isZero();
    }

    @Test
    void statsAndPurgeRecordsValidate() throws Exception {
        FlowState s = tcpFlow();
        JsonNode stats = parse(json.stats(s));
        assertValid(NetifySchemas.FLOW_STATS, stats);
        assertThat(stats.get("flow").get("local_bytes").asLong()).isEqualTo(140);
        assertThat(stats.get("flow").get("local_rate").isIntegralNumber()).isTrue();
        JsonNode purge = parse(json.purge(s, PurgeReason.EXPIRED));
        assertValid(NetifySchemas.FLOW_PURGE, purge);
        assertThat(purge.get("reason").asText()).isEqualTo("expired");
        assertThat(purge.get("type").asText()).isEqualTo("flow_purge");
    }

    @Test
    void udpRecordsHaveNoTcpObject() throws Exception {
        FlowLifecycle l = new FlowLifecycle(FlowSettings.defaults());
        TestEvents udp = TestEvents.udp("fd00::1", 5353, "ff02::fb", 5353);
        FlowState s = l.onEvent(null, udp.client(1_000, 100), FlowLifecycle.Output.NONE);
        JsonNode n = parse(json.flow(s));
        assertValid(NetifySchemas.FLOW, n);
        assertThat(n.get("flow").has("tcp")).isFalse();
        assertThat(n.get("flow").get("other_type").asText()).isEqualTo("multicast");
        assertThat(n.get("flow").get("other_ip").asText()).isEqualTo("ff02::fb");
        assertThat(n.get("flow").get("ip_version").asInt()).isEqualTo(6);
    }
}
