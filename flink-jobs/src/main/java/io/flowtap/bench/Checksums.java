package io.flowtap.bench;

/** The Internet checksum (RFC 1071) of TCP and UDP segments, with their pseudo-headers. */
final class Checksums {
    private Checksums() {}

    /**
     * @param ip where the IP header starts (its addresses are read from there)
     * @param l4 where the segment starts; its checksum field must be zero
     */
    static int transport(byte[] f, int ip, int version, int proto, int l4, int length) {
        long sum = 0;
        if (version == 4) {
            sum += words(f, ip + 12, 8);
        } else {
            sum += words(f, ip + 8, 32);
        }
        sum += proto + length;
        sum += words(f, l4, length);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static long words(byte[] f, int from, int length) {
        long sum = 0;
        int i = from;
        for (; i + 1 < from + length; i += 2) {
            sum += ((f[i] & 0xff) << 8) | (f[i + 1] & 0xff);
        }
        if (i < from + length) {
            sum += (f[i] & 0xff) << 8;
        }
        return sum;
    }
}
