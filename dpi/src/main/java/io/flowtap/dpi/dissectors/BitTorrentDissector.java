package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

/**
 * BitTorrent: the peer wire handshake over TCP (BEP 3: 19, "BitTorrent protocol", 8 reserved bytes,
 * the 20-byte info hash, the peer id) and DHT messages over UDP (BEP 5: bencoded dictionaries with
 * "y" of q, r or e). The info hash becomes {@code bt.info_hash}.
 */
public final class BitTorrentDissector implements Dissector {
    private static final String PROTOCOL = "BitTorrent protocol";
    private static final int HANDSHAKE = 1 + 19 + 8 + 20;

    @Override
    public String name() {
        return "bittorrent";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return p.isTcp() || p.isUdp();
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        if (p.isTcp()) {
            StreamBuffer s = p.fromClient ? c.clientStream() : c.serverStream();
            if (s == null || s.length == 0) {
                return Verdict.NEED_MORE;
            }
            int n = Math.min(s.length, 20);
            if ((s.data[0] & 0xff) != 19
                    || !Bytes.startsWith(s.data, 1, n - 1, PROTOCOL.substring(0, n - 1))) {
                return Verdict.EXCLUDED;
            }
            if (s.length < HANDSHAKE) {
                return Verdict.NEED_MORE;
            }
            FlowMetadata m = c.metadata();
            m.protocol = Protocols.BITTORRENT;
            m.btInfoHash = Bytes.hex(s.data, 28, 20);
            c.updated();
            return Verdict.DONE;
        }
        if (Bytes.startsWith(p.payload, p.offset, p.length, "BT-SEARCH * HTTP/1.1")) {
            return localServiceDiscovery(c, p);
        }
        Verdict v = dht(c, p.payload, p.offset, p.length);
        return v == Verdict.EXCLUDED ? utp(c, p) : v;
    }

    /** BEP 14 Local Service Discovery: "Infohash:" headers in multicast announcements. */
    private static Verdict localServiceDiscovery(DpiContext c, DpiPacket p) {
        FlowMetadata m = c.metadata();
        m.protocol = Protocols.BITTORRENT;
        String text = Bytes.printable(p.payload, p.offset, Math.min(p.length, 2048));
        int i = text.toLowerCase(java.util.Locale.ROOT).indexOf("\ninfohash:");
        if (i >= 0 && m.btInfoHash == null) {
            String v = text.substring(i + 10).trim();
            if (v.length() >= 40 && v.substring(0, 40).matches("[0-9a-fA-F]{40}")) {
                m.btInfoHash = v.substring(0, 40).toLowerCase(java.util.Locale.ROOT);
                c.updated();
            }
        }
        return Verdict.DONE;
    }

    /**
     * BEP 29 uTP: a 20-byte header whose first byte is type (0-4) and version 1, and whose
     * extension byte is small. Two such packets make it likely enough.
     */
    private static Verdict utp(DpiContext c, DpiPacket p) {
        if (p.length < 20) {
            return Verdict.EXCLUDED;
        }
        int first = p.payload[p.offset] & 0xff;
        int extension = p.payload[p.offset + 1] & 0xff;
        if ((first & 0x0f) != 1 || (first >> 4) > 4 || extension > 2) {
            return Verdict.EXCLUDED;
        }
        if (++c.state().datagrams < 2) {
            return Verdict.NEED_MORE;
        }
        c.metadata().protocol = Protocols.BITTORRENT;
        return Verdict.DONE;
    }

    private static Verdict dht(DpiContext c, byte[] b, int off, int len) {
        if (len < 12 || b[off] != 'd' || b[off + len - 1] != 'e') {
            return Verdict.EXCLUDED;
        }
        int y = indexOf(b, off, off + len, "1:y1:");
        if (y < 0) {
            return Verdict.EXCLUDED;
        }
        byte kind = b[y + 5];
        if (kind != 'q' && kind != 'r' && kind != 'e') {
            return Verdict.EXCLUDED;
        }
        FlowMetadata m = c.metadata();
        m.protocol = Protocols.BITTORRENT;
        int h = indexOf(b, off, off + len, "9:info_hash20:");
        if (h >= 0 && off + len - (h + 14) >= 20 && m.btInfoHash == null) {
            m.btInfoHash = Bytes.hex(b, h + 14, 20);
            c.updated();
            return Verdict.DONE;
        }
        return Verdict.DETECTED;
    }

    private static int indexOf(byte[] b, int from, int to, String s) {
        outer:
        for (int i = from; i + s.length() <= to; i++) {
            for (int j = 0; j < s.length(); j++) {
                if (b[i + j] != s.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
