package io.flowtap.dpi.quic;

/** QUIC versions whose Initial packets Flowtap can open, with their salts and labels. */
public enum QuicVersion {
    V1(0x00000001, "38762cf7f55934b34d179ae6a4c80cadccbb7f0a", "quic", 0),
    V2(0x6b3343cf, "0dede3def700a6db819381be6e269dcbf9bd2ed9", "quicv2", 1),
    DRAFT_29(0xff00001d, "afbfec289993d24c9e9786f19c6111e04390a899", "quic", 0),
    DRAFT_30(0xff00001e, "afbfec289993d24c9e9786f19c6111e04390a899", "quic", 0),
    DRAFT_31(0xff00001f, "afbfec289993d24c9e9786f19c6111e04390a899", "quic", 0),
    DRAFT_32(0xff000020, "afbfec289993d24c9e9786f19c6111e04390a899", "quic", 0),
    DRAFT_27(0xff00001b, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic", 0),
    DRAFT_28(0xff00001c, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic", 0),
    DRAFT_33(0xff000021, "38762cf7f55934b34d179ae6a4c80cadccbb7f0a", "quic", 0),
    DRAFT_34(0xff000022, "38762cf7f55934b34d179ae6a4c80cadccbb7f0a", "quic", 0),
    DRAFT_23(0xff000017, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic", 0),
    DRAFT_24(0xff000018, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic", 0),
    DRAFT_25(0xff000019, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic", 0),
    DRAFT_26(0xff00001a, "c3eef712c72ebb5a11a7d2432bb46365bef9f502", "quic", 0),
    /** Google QUIC Q050: the IETF packet protection, gQUIC's CHLO inside. */
    Q050(0x51303530, "504574efd066fe2f9d945cfcdbd3a7f0d3b56b45", "quic", 0),
    /** Google QUIC T050 and T051: TLS inside. */
    T050(0x54303530, "7ff579e5acd07291558030 4c43a2367c60488310".replace(" ", ""), "quic", 0),
    T051(0x54303531, "7a4edef4e7ccee5fa4506c19124fc8ccda6e033d", "quic", 0);

    public final int wire;
    final byte[] salt;
    final String labelPrefix;

    /** Value of the long header's type bits that marks an Initial packet. */
    final int initialType;

    QuicVersion(int wire, String saltHex, String labelPrefix, int initialType) {
        this.wire = wire;
        this.salt = hex(saltHex);
        this.labelPrefix = labelPrefix;
        this.initialType = initialType;
    }

    /** The CRYPTO frame type: Google's versions number it 0x08, IETF QUIC 0x06. */
    public int cryptoFrameType() {
        return this == Q050 || this == T050 || this == T051 ? 0x08 : 0x06;
    }

    public static QuicVersion of(int wire) {
        for (QuicVersion v : values()) {
            if (v.wire == wire) {
                return v;
            }
        }
        return null;
    }

    /** Versions that look like QUIC even if their Initials cannot be opened here. */
    public static boolean isQuicLike(int wire) {
        if (of(wire) != null) {
            return true;
        }
        int top = wire >>> 24;
        if (top == 0xff) {
            return true; // IETF drafts
        }
        // Google QUIC: 'Q', 'T' followed by three digits, e.g. Q050, T051.
        int a = wire >>> 24;
        return (a == 'Q' || a == 'T')
                && isDigit((wire >>> 16) & 0xff)
                && isDigit((wire >>> 8) & 0xff)
                && isDigit(wire & 0xff);
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    private static byte[] hex(String s) {
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
