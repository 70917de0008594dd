package io.flowtap.intel;

import io.flowtap.aggregate.FlowUsage;
import io.flowtap.expr.AddressGroups;
import io.flowtap.expr.Criteria;
import io.flowtap.flow.FlowState;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Each criterion and each kind of feed match on a hand-built flow, firing and not firing. */
class IntelMatcherTest {
    private static final Feed RELAYS = feed("relays", "203.0.113.0/24", "relay.example");
    private static final FeedSet FEEDS = new FeedSet();
    private static final Feed JA4 = feed("ja4", "t13d1516h2_8daaf6152771_e5627efa2ab1");

    private static Feed feed(String name, String... entries) {
        try {
            return Feed.parse(name, name, List.of(entries));
        } catch (FeedException e) {
            throw new AssertionError(e);
        }
    }

    private static Indicator indicator(
            String driver,
            long minBytes,
            int minScore,
            boolean eastWest,
            boolean wan,
            Criteria expression,
            Feed feed) {
        IntelDriver d = IntelDriver.byTag().get(driver);
        return new Indicator(
                "i",
                d,
                d.category(),
                d.score(),
                minBytes,
                minScore,
                eastWest,
                wan,
                expression,
                List.of(feed),
                EnumSet.of(IntelEvent.DPI_COMPLETE),
                d.criteria());
    }

    private static Indicator relays() {
        return indicator("tor_relay", 0, 0, true, true, Criteria.ALL, RELAYS);
    }

    private FlowState flow = new FlowState();
    private FlowUsage attributes = new FlowUsage();

    IntelMatcherTest() {
        flow.lowerBytes = 600;
        flow.upperBytes = 400;
        flow.internal = true;
        attributes.localAddr = new byte[] {(byte) 192, (byte) 168, 1, 10};
        attributes.otherAddr = new byte[] {(byte) 203, 0, 113, 7};
        attributes.localIp = "192.168.1.10";
        attributes.otherIp = "203.0.113.7";
        attributes.otherPortNumber = 443;
        attributes.ipProtocol = 6;
        attributes.otherTypeName = "remote";
    }

    @Test
    void theOtherAddressInAFeedNetworkFires() {
        assertThat(IntelMatcher.match(relays(), flow, attributes, FEEDS)).isEqualTo("relays");
        attributes.otherAddr = new byte[] {(byte) 198, 51, 100, 7};
        assertThat(IntelMatcher.match(relays(), flow, attributes, FEEDS)).isNull();
    }

    @Test
    void aHostnameOrDnsHintBelowAFeedDomainFires() {
        attributes.otherAddr = new byte[] {(byte) 198, 51, 100, 7};
        attributes.hostname = "www.Relay.example";
        assertThat(IntelMatcher.match(relays(), flow, attributes, FEEDS)).isEqualTo("relays");
        attributes.hostname = "relay.example.net";
        assertThat(IntelMatcher.match(relays(), flow, attributes, FEEDS)).isNull();
        attributes.dnsHostnameText = "relay.example";
        assertThat(IntelMatcher.match(relays(), flow, attributes, FEEDS)).isEqualTo("relays");
    }

    @Test
    void criteriaHoldItBack() throws Exception {
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 1001, 0, true, true, Criteria.ALL, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .as("min_bytes above the flow's 1,000")
                .isNull();
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 1000, 0, true, true, Criteria.ALL, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .isEqualTo("relays");
        flow.meta.riskScore = 9;
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 0, 10, true, true, Criteria.ALL, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .as("min_score above the flow's risk score")
                .isNull();
        attributes.otherTypeName = "local";
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 0, 0, false, true, Criteria.ALL, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .as("east-west flow")
                .isNull();
        attributes.otherTypeName = "remote";
        flow.internal = false;
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 0, 0, true, false, Criteria.ALL, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .as("WAN flow")
                .isNull();
        flow.internal = true;
        Criteria https = Criteria.compile(List.of("other_port == 443;"), AddressGroups.NONE);
        Criteria dns = Criteria.compile(List.of("other_port == 53;"), AddressGroups.NONE);
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 0, 0, true, true, https, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .isEqualTo("relays");
        assertThat(
                        IntelMatcher.match(
                                indicator("tor_relay", 0, 0, true, true, dns, RELAYS),
                                flow,
                                attributes,
                                FEEDS))
                .isNull();
    }

    @Test
    void ja4FeedsMatchTheClientFingerprintOnly() {
        Indicator ind = indicator("ja4_blocklist", 0, 0, true, true, Criteria.ALL, JA4);
        assertThat(IntelMatcher.match(ind, flow, attributes, FEEDS)).isNull();
        flow.meta.tlsJa4 = "t13d1516h2_8daaf6152771_e5627efa2ab1";
        assertThat(IntelMatcher.match(ind, flow, attributes, FEEDS)).isEqualTo("ja4");
        // An address feed does not match fingerprints, nor a fingerprint feed addresses.
        Indicator addresses = indicator("ja4_blocklist", 0, 0, true, true, Criteria.ALL, RELAYS);
        assertThat(IntelMatcher.match(addresses, flow, attributes, FEEDS)).isNull();
    }
}
