package io.flowtap.capture.flow;

import io.flowtap.capture.Hex;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Expected digests were computed outside the project, with Python's hashlib over the byte layout
 * docs/semantics.md describes, e.g. for the first case: {@code sha1(b"eth0" + 04 06 0000 5db8d822
 * c0a8010a 01bb c738)}.
 */
class FlowKeysTest {
    @Test
    void tcpFlowDigest() {
        byte[] d =
                FlowKeys.digest(
                        "eth0",
                        4,
                        6,
                        0,
                        Hex.bytes("5db8d822"),
                        Hex.bytes("c0a8010a"),
                        4,
                        Hex.bytes("001122334455"),
                        443,
                        51000);
        assertThat(FlowKeys.hex(d)).isEqualTo("6528a54fce007f7d358d98c3330ef833bfa202f6");
    }

    @Test
    void dhcpBroadcastDigestIncludesTheClientMac() {
        byte[] d =
                FlowKeys.digest(
                        "eth0",
                        4,
                        17,
                        0,
                        Hex.bytes("00000000"),
                        Hex.bytes("ffffffff"),
                        4,
                        Hex.bytes("66778899aabb"),
                        68,
                        67);
        assertThat(FlowKeys.hex(d)).isEqualTo("26bc337cade0f8dfd33d43a3347b3864ba083a44");
        byte[] other =
                FlowKeys.digest(
                        "eth0",
                        4,
                        17,
                        0,
                        Hex.bytes("00000000"),
                        Hex.bytes("ffffffff"),
                        4,
                        Hex.bytes("66778899aabc"),
                        68,
                        67);
        assertThat(other).isNotEqualTo(d);
    }

    @Test
    void vlanIsHashedLittleEndianAndIpv6AddressesInFull() {
        byte[] d =
                FlowKeys.digest(
                        "wan1",
                        6,
                        17,
                        100,
                        Hex.bytes("20010db8000000000000000000000001"),
                        Hex.bytes("20010db8000000000000000000000002"),
                        16,
                        null,
                        53,
                        5353);
        assertThat(FlowKeys.hex(d)).isEqualTo("7c23a94f7099b29540cc5dc8bc5b31d50d2f76bb");
    }

    @Test
    void lowerEndpointIsTheSmallerAddressThenPort() {
        assertThat(FlowKeys.compareUnsigned(Hex.bytes("5d000000"), Hex.bytes("c0000000"), 4))
                .isNegative();
        // 0x80 must compare above 0x7f (unsigned bytes).
        assertThat(FlowKeys.compareUnsigned(Hex.bytes("80"), Hex.bytes("7f"), 1)).isPositive();
    }
}
