package io.flowtap.dpi;

import io.flowtap.dpi.dissectors.DnsDissector;
import io.flowtap.dpi.dissectors.HttpDissector;
import io.flowtap.dpi.dissectors.SshDissector;
import io.flowtap.dpi.quic.QuicDissector;
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
                    new TlsDissector(),
                    new HttpDissector(),
                    new SshDissector(),
                    new QuicDissector());

    private Dissectors() {}
}
