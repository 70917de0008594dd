package io.flowtap.telemetry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;

class AddressesTest {
    /** Text forms as RFC 5952 section 4 prescribes them. */
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1", // first of two equal runs (4.2.3)
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1", // the longest run (4.2.3)
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1", // a single zero is not shortened (4.2.2)
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "2001:DB8:0:0:0:0:2:1, 2001:db8::2:1", // lower case (4.3)
        "ff02:0:0:0:0:0:0:fb, ff02::fb",
    })
    void ipv6(String in, String expected) throws Exception {
        assertThat(Addresses.ip(InetAddress.getByName(in).getAddress())).isEqualTo(expected);
    }

    @Test
    void ipv4AndMac() throws Exception {
        assertThat(Addresses.ip(InetAddress.getByName("192.168.1.254").getAddress()))
                .isEqualTo("192.168.1.254");
        assertThat(Addresses.mac(new byte[] {0x00, 0x1a, (byte) 0xff, 0, 1, (byte) 0xab}))
                .isEqualTo("00:1a:ff:00:01:ab");
        assertThat(Addresses.mac(null)).isEqualTo("00:00:00:00:00:00");
    }

    /** Addresses that share a slot of the recent-address table each get their own text. */
    @Test
    void macTextsOfManyAddressesStayTheirOwn() {
        java.util.Random random = new java.util.Random(8);
        byte[][] macs = new byte[4096][6];
        for (byte[] m : macs) {
            random.nextBytes(m);
        }
        for (int round = 0; round < 2; round++) {
            for (byte[] m : macs) {
                String expected =
                        String.format(
                                "%02x:%02x:%02x:%02x:%02x:%02x",
                                m[0], m[1], m[2], m[3], m[4], m[5]);
                assertThat(Addresses.mac(m)).isEqualTo(expected);
                assertThat(Addresses.mac(m.clone())).isEqualTo(expected);
            }
        }
    }
}
