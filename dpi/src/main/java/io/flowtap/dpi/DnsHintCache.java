package io.flowtap.dpi;

import io.flowtap.dpi.dissectors.DnsMessage;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Netify's DNS hint cache: the addresses in DNS answers, each with the name that was asked for, so
 * that a later flow to such an address can be named even when it carries no name of its own
 * (encrypted SNI, plain TCP, QUIC without Initial). It lives where all of one capture point's
 * packets pass in order (the capture agent, or the pcap source reading one capture), which makes
 * the hint of every flow deterministic; docs/protocols.md explains the choice.
 *
 * <p>Entries live a fixed time after the answer (answers' own TTLs are often seconds while
 * connections to the address go on for much longer) and the cache holds a bounded number of
 * addresses, forgetting the least recently answered first. Not thread-safe.
 */
public final class DnsHintCache {
    public static final long DEFAULT_LIFETIME_MS = 30L * 60 * 1000;
    public static final int DEFAULT_CAPACITY = 65_536;
    private static final int DNS_PORT = 53;

    private record Hint(String name, long answeredMs) {}

    private final long lifetimeMs;
    private final Map<Address, Hint> hints;

    public DnsHintCache() {
        this(DEFAULT_LIFETIME_MS, DEFAULT_CAPACITY);
    }

    public DnsHintCache(long lifetimeMs, int capacity) {
        if (lifetimeMs <= 0 || capacity <= 0) {
            throw new IllegalArgumentException("lifetime and capacity must be positive");
        }
        this.lifetimeMs = lifetimeMs;
        this.hints =
                new LinkedHashMap<>(1024, 0.75f, false) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<Address, Hint> eldest) {
                        return size() > capacity;
                    }
                };
    }

    /**
     * Learns from one packet if it is a DNS response from port 53: a UDP payload, or a TCP segment
     * that holds a whole length-prefixed message (RFC 7766 8).
     *
     * @return how many addresses were learned
     */
    public int observe(int ipProtocol, int srcPort, byte[] b, int off, int len, long timestampMs) {
        if (srcPort != DNS_PORT || len <= 0) {
            return 0;
        }
        if (ipProtocol == DpiPacket.TCP) {
            if (len < 2 || Bytes.u16(b, off) != len - 2) {
                return 0;
            }
            off += 2;
            len -= 2;
        } else if (ipProtocol != DpiPacket.UDP) {
            return 0;
        }
        DnsMessage msg = DnsMessage.parse(b, off, len);
        if (msg == null || !msg.response || msg.rcode != 0 || msg.answerRecords.isEmpty()) {
            return 0;
        }
        String asked = msg.questionName != null ? msg.questionName : msg.answerRecords.get(0).name;
        String name = asked == null ? "" : Hostnames.sanitize(asked);
        if (name.isEmpty()) {
            return 0;
        }
        int learned = 0;
        for (DnsMessage.Record r : msg.answerRecords) {
            boolean a = r.type == DnsMessage.TYPE_A && r.dataLength == 4;
            boolean aaaa = r.type == DnsMessage.TYPE_AAAA && r.dataLength == 16;
            if (a || aaaa) {
                Address key =
                        new Address(
                                Arrays.copyOfRange(b, r.dataOffset, r.dataOffset + r.dataLength));
                // Re-inserted, so that the eldest entry is the least recently answered.
                hints.remove(key);
                hints.put(key, new Hint(name, timestampMs));
                learned++;
            }
        }
        return learned;
    }

    /** The name last answered for the address, if that answer is still alive at the time. */
    public String lookup(byte[] address, long timestampMs) {
        Hint h = hints.get(new Address(address));
        if (h == null || timestampMs - h.answeredMs > lifetimeMs) {
            return null;
        }
        return h.name;
    }

    public int size() {
        return hints.size();
    }

    private static final class Address {
        final byte[] bytes;
        final int hash;

        Address(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Address && Arrays.equals(bytes, ((Address) o).bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
