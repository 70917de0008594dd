package io.flowtap.dpi;

import io.flowtap.dpi.dissectors.BitTorrentDissector;
import io.flowtap.dpi.dissectors.DhcpDissector;
import io.flowtap.dpi.dissectors.DnsDissector;
import io.flowtap.dpi.dissectors.HttpDissector;
import io.flowtap.dpi.dissectors.NtpDissector;
import io.flowtap.dpi.dissectors.OpenVpnDissector;
import io.flowtap.dpi.dissectors.SsdpDissector;
import io.flowtap.dpi.dissectors.SshDissector;
import io.flowtap.dpi.dissectors.StunDissector;
import io.flowtap.dpi.dissectors.WireGuardDissector;
import io.flowtap.dpi.quic.QuicDissector;
import io.flowtap.dpi.tls.DtlsDissector;
import io.flowtap.dpi.tls.TlsDissector;

import java.util.List;

/**
 * Every dissector, in the order the engine tries them: port-gated and cheap ones first. Adding a
 * protocol means adding it here (and to docs/protocols.md, with a test and a fuzz target).
 */
public final class Dissectors {
    public static final List<Dissector> ALL =
            List.of(
                    new DnsDissector(),
                    new DhcpDissector(),
                    new NtpDissector(),
                    new SsdpDissector(),
                    new TlsDissector(),
                    new HttpDissector(),
                    new SshDissector(),
                    new BitTorrentDissector(),
                    new QuicDissector(),
                    new WireGuardDissector(),
                    new OpenVpnDissector(),
                    new StunDissector(),
                    new DtlsDissector());

    private Dissectors() {}
}
