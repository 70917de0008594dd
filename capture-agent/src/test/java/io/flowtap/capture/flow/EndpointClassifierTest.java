package io.flowtap.capture.flow;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EndpointClassifierTest {
    private final EndpointClassifier lan =
            new EndpointClassifier(NetworkSet.of(NetworkSet.RESERVED));

    private static byte[] a(String ip) throws Exception {
        return InetAddress.getByName(ip).getAddress();
    }

    @ParameterizedTest(name = "{0} <-> {1} (lower opened: {2})")
    @CsvSource({
        // lower, upper, lowerIsOrigin, expected local, other_type
        "93.184.216.34, 192.168.1.10, false, 192.168.1.10, remote",
        "10.0.0.1, 8.8.8.8, false, 10.0.0.1, remote",
        "10.0.0.1, 10.0.0.2, false, 10.0.0.2, local",
        "10.0.0.1, 10.0.0.2, true, 10.0.0.1, local",
        "1.1.1.1, 8.8.8.8, true, 1.1.1.1, remote",
        "1.1.1.1, 8.8.8.8, false, 8.8.8.8, remote",
        "192.168.1.10, 239.255.255.250, true, 192.168.1.10, multicast",
        "224.0.0.251, 192.168.1.10, false, 192.168.1.10, multicast",
        "0.0.0.0, 255.255.255.255, true, 0.0.0.0, broadcast",
        "2001:db8::1, fd00::5, false, fd00::5, remote",
        "fe80::1, ff02::fb, true, fe80::1, multicast",
        "100.64.0.1, 100.127.255.254, true, 100.64.0.1, local",
    })
    void decidesLocalSide(
            String lower, String upper, boolean lowerOpened, String local, String otherType)
            throws Exception {
        byte[] l = a(lower);
        EndpointClassifier.Sides s = lan.decide(l, a(upper), l.length, lowerOpened);
        assertThat(s.lowerIsLocal ? lower : upper).isEqualTo(local);
        assertThat(s.otherType.json()).isEqualTo(otherType);
    }

    @Test
    void wanInterfaceWithoutLocalNetworksMakesTheOriginatorLocal() throws Exception {
        EndpointClassifier wan = new EndpointClassifier(NetworkSet.empty());
        EndpointClassifier.Sides s = wan.decide(a("10.0.0.1"), a("8.8.8.8"), 4, false);
        assertThat(s.lowerIsLocal).isFalse();
        assertThat(s.otherType).isEqualTo(OtherType.REMOTE);
    }

    @Test
    void networkSetMatchesPrefixes() throws Exception {
        NetworkSet n = NetworkSet.of(List.of("172.16.0.0/12", "2001:db8:1::/48", "203.0.113.7"));
        assertThat(n.contains(a("172.31.255.255"), 4)).isTrue();
        assertThat(n.contains(a("172.32.0.0"), 4)).isFalse();
        assertThat(n.contains(a("2001:db8:1:ffff::1"), 16)).isTrue();
        assertThat(n.contains(a("2001:db8:2::1"), 16)).isFalse();
        assertThat(n.contains(a("203.0.113.7"), 4)).isTrue();
        assertThat(n.contains(a("203.0.113.8"), 4)).isFalse();
    }

    @Test
    void networkSetRejectsNonsenseWithTheEntry() {
        assertThatThrownBy(() -> NetworkSet.of(List.of("10.0.0.0/33")))
                .hasMessageContaining("'10.0.0.0/33'");
        assertThatThrownBy(() -> NetworkSet.of(List.of("example.com")))
                .hasMessageContaining("not an IP network: 'example.com'");
        assertThatThrownBy(() -> NetworkSet.of(List.of("10.0.0.0/x")))
                .hasMessageContaining("bad prefix length");
    }
}
