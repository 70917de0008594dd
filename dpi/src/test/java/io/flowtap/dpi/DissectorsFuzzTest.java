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

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * One fuzz target per dissector: a flow of up to 32 packets with fuzzed directions, sequence
 * numbers and payloads, fed to the dissector directly (not through the engine, which would turn an
 * exception into a VIOLATION and hide it). Any input must end without an exception.
 *
 * <p>{@code mvn verify} replays the kept corpus; to fuzz one target: {@code JAZZER_FUZZ=1 mvn -pl
 * dpi test -Dtest=DissectorsFuzzTest#tls}.
 */
class DissectorsFuzzTest {
    private static void run(Dissector d, FuzzedDataProvider data, int... ports) {
        DpiState s = new DpiState();
        FlowMetadata m = new FlowMetadata();
        DpiContext c = new DpiContext();
        DpiPacket p = new DpiPacket();
        p.ipProtocol = data.consumeBoolean() ? DpiPacket.TCP : DpiPacket.UDP;
        p.clientPort = data.consumeBoolean() ? ports[0] : data.consumeInt(0, 65535);
        p.serverPort = ports[data.consumeInt(0, ports.length - 1)];
        int clientSeq = data.consumeInt();
        int serverSeq = data.consumeInt();
        for (int i = 0; i < 32 && data.remainingBytes() > 0; i++) {
            p.fromClient = data.consumeBoolean();
            p.tcpFlags = data.consumeInt(0, 255) & ~0x02; // streams start at the first data
            int n = data.consumeInt(0, 1600);
            byte[] payload = data.consumeBytes(n);
            int seq = p.fromClient ? clientSeq : serverSeq;
            // Mostly in order, sometimes out of order or repeated.
            p.tcpSeq = data.consumeBoolean() ? seq : seq + data.consumeInt(-3000, 3000);
            if (p.fromClient) {
                clientSeq = p.tcpSeq + payload.length;
            } else {
                serverSeq = p.tcpSeq + payload.length;
            }
            p.payload = payload;
            p.offset = 0;
            p.length = payload.length;
            boolean fresh = DpiEngine.feedStreams(s, p);
            if (!d.applies(p) || p.length == 0 && !fresh) {
                continue;
            }
            c.bind(p, s, m);
            Verdict v = d.inspect(c);
            if (v == Verdict.DONE || v == Verdict.EXCLUDED || v == Verdict.VIOLATION) {
                return;
            }
        }
    }

    @FuzzTest(maxDuration = "2m")
    void tls(FuzzedDataProvider data) {
        run(new TlsDissector(), data, 443, 853, 8443);
    }

    @FuzzTest(maxDuration = "2m")
    void dtls(FuzzedDataProvider data) {
        run(new DtlsDissector(), data, 443, 4433);
    }

    @FuzzTest(maxDuration = "2m")
    void quic(FuzzedDataProvider data) {
        run(new QuicDissector(), data, 443);
    }

    @FuzzTest(maxDuration = "2m")
    void http(FuzzedDataProvider data) {
        run(new HttpDissector(), data, 80, 8080);
    }

    @FuzzTest(maxDuration = "2m")
    void dns(FuzzedDataProvider data) {
        run(new DnsDissector(), data, 53, 5353, 5355);
    }

    @FuzzTest(maxDuration = "2m")
    void ssh(FuzzedDataProvider data) {
        run(new SshDissector(), data, 22);
    }

    @FuzzTest(maxDuration = "2m")
    void dhcp(FuzzedDataProvider data) {
        run(new DhcpDissector(), data, 67, 68);
    }

    @FuzzTest(maxDuration = "2m")
    void ssdp(FuzzedDataProvider data) {
        run(new SsdpDissector(), data, 1900);
    }

    @FuzzTest(maxDuration = "2m")
    void stun(FuzzedDataProvider data) {
        run(new StunDissector(), data, 3478, 19302);
    }

    @FuzzTest(maxDuration = "2m")
    void ntp(FuzzedDataProvider data) {
        run(new NtpDissector(), data, 123);
    }

    @FuzzTest(maxDuration = "2m")
    void wireguard(FuzzedDataProvider data) {
        run(new WireGuardDissector(), data, 51820);
    }

    @FuzzTest(maxDuration = "2m")
    void openvpn(FuzzedDataProvider data) {
        run(new OpenVpnDissector(), data, 1194, 443);
    }

    @FuzzTest(maxDuration = "2m")
    void bittorrent(FuzzedDataProvider data) {
        run(new BitTorrentDissector(), data, 6881, 6771);
    }
}
