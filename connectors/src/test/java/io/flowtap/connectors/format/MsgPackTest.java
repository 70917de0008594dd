package io.flowtap.connectors.format;

import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MessagePack written here, read back by the msgpack-core library, and hand-checked bytes from the
 * MessagePack specification's tables.
 */
class MsgPackTest {
    private static byte[] pack(String json) throws Exception {
        return MsgPack.fromJson(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesAsTheSpecificationLaysThemOut() throws Exception {
        // fixmap of 1: fixstr "a" -> positive fixint 1
        assertThat(pack("{\"a\":1}")).containsExactly(0x81, 0xa1, 'a', 0x01);
        // negative fixint -1, int8 -33, uint8 200, uint16 65535, uint32 65536
        assertThat(pack("[-1,-33,200,65535,65536]"))
                .containsExactly(
                        0x95, 0xff, 0xd0, 0xdf, 0xcc, 0xc8, 0xcd, 0xff, 0xff, 0xce, 0x00, 0x01,
                        0x00, 0x00);
        // nil, false, true, float 64 of 0.5
        assertThat(pack("[null,false,true,0.5]"))
                .containsExactly(0x94, 0xc0, 0xc2, 0xc3, 0xcb, 0x3f, 0xe0, 0, 0, 0, 0, 0, 0);
    }

    @Test
    void aTelemetryRecordReadsBackAsTheSameDocument() throws Exception {
        String json =
                "{\"flow\":{\"digest\":\"153e99df6338da3b05e0dc3d546bf58fcf4a796e\","
                    + "\"first_seen_at\":1795308508159,\"ip_version\":4,\"local_port\":40000,"
                    + "\"dns_host_name\":\"www.flowtap.test\",\"risks\":{\"risks\":[15,2],"
                    + "\"ndpi_risk_score\":110},\"lower_rate\":-1.25,\"detection_guessed\":false,"
                    + "\"other_ip\":null,\"long_name\":\""
                        + "x".repeat(300)
                        + "\"},\"interface\":\"pcap\",\"internal\":true,\"type\":\"flow\"}";
        byte[] packed = pack(json);
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(packed)) {
            Value v = u.unpackValue();
            assertThat(u.hasNext()).isFalse();
            // msgpack-core renders the value as JSON; numbers and strings must match exactly.
            assertThat(new com.fasterxml.jackson.databind.ObjectMapper().readTree(v.toJson()))
                    .isEqualTo(new com.fasterxml.jackson.databind.ObjectMapper().readTree(json));
        }
    }
}
