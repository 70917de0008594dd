package io.flowtap.dpi;

import io.flowtap.dpi.apps.ApplicationCatalog;

import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApplicationCatalogTest {
    private static final String CATALOG =
            String.join(
                    "\n",
                    "# test catalog",
                    "category 6 cloud Cloud",
                    "app 1 netify.example 6 Example",
                    "app 2 netify.example-video 6 Example Video",
                    "domain 1 example.com",
                    "domain 2 video.example.com",
                    "network 1 192.0.2.0/24",
                    "network 2 192.0.2.128/25",
                    "network 1 2001:db8::/32");

    private static ApplicationCatalog catalog() throws Exception {
        return ApplicationCatalog.load(new StringReader(CATALOG), "test");
    }

    @Test
    void longestDomainSuffixWins() throws Exception {
        ApplicationCatalog c = catalog();
        assertThat(c.byHost("example.com").id()).isEqualTo(1);
        assertThat(c.byHost("www.Example.com").id()).isEqualTo(1);
        assertThat(c.byHost("video.example.com").id()).isEqualTo(2);
        assertThat(c.byHost("cdn.video.example.com").id()).isEqualTo(2);
        // A suffix must start at a label boundary.
        assertThat(c.byHost("notexample.com")).isNull();
        assertThat(c.byHost("example.org")).isNull();
    }

    @Test
    void longestNetworkPrefixWins() throws Exception {
        ApplicationCatalog c = catalog();
        assertThat(c.byAddress(InetAddress.getByName("192.0.2.10").getAddress()).id()).isEqualTo(1);
        assertThat(c.byAddress(InetAddress.getByName("192.0.2.200").getAddress()).id())
                .isEqualTo(2);
        assertThat(c.byAddress(InetAddress.getByName("2001:db8:1::1").getAddress()).id())
                .isEqualTo(1);
        assertThat(c.byAddress(InetAddress.getByName("198.51.100.1").getAddress())).isNull();
    }

    @Test
    void classifyPrefersTheHostNameAndNamesTheApplicationWithItsId() throws Exception {
        FlowMetadata m = new FlowMetadata();
        m.hostServerName = "cdn.video.example.com";
        assertThat(catalog().classify(m, InetAddress.getByName("192.0.2.10").getAddress()))
                .isTrue();
        assertThat(m.application).isEqualTo(2);
        assertThat(m.applicationTag).isEqualTo("2.netify.example-video");
        assertThat(m.applicationCategory).isEqualTo(6);
        FlowMetadata byAddress = new FlowMetadata();
        catalog().classify(byAddress, InetAddress.getByName("192.0.2.10").getAddress());
        assertThat(byAddress.applicationTag).isEqualTo("1.netify.example");
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(
                        () ->
                                ApplicationCatalog.load(
                                        new StringReader("app 1 a 1 A\ndomain 7 x.com\n"),
                                        "apps.txt"))
                .hasMessage("apps.txt, line 2: application 7 is not declared above");
        assertThatThrownBy(() -> ApplicationCatalog.load(new StringReader("network 1\n"), "n.txt"))
                .hasMessageContaining("n.txt, line 1: 'network' needs 2 fields");
    }

    @Test
    void theBundledCatalogLoads() {
        ApplicationCatalog c = ApplicationCatalog.bundled();
        assertThat(c.size()).isGreaterThan(30);
        assertThat(c.byHost("www.ntop.org").name()).isEqualTo("100027.netify.ntop");
        assertThat(c.byHost("login.tailscale.com").name()).isEqualTo("11354.netify.tailscale");
    }
}
