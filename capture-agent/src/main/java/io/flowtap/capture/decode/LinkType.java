package io.flowtap.capture.decode;

/** LINKTYPE_* values (tcpdump.org/linktypes.html) that the decoder understands. */
public final class LinkType {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int PPP = 9;
    public static final int RAW_OPENBSD = 12;
    public static final int RAW_BSDOS = 14;
    public static final int PPP_HDLC = 50;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;

    private LinkType() {}

    public static boolean isSupported(int linkType) {
        switch (linkType) {
            case NULL:
            case ETHERNET:
            case PPP:
            case RAW_OPENBSD:
            case RAW_BSDOS:
            case PPP_HDLC:
            case RAW:
            case LOOP:
            case LINUX_SLL:
            case IPV4:
            case IPV6:
            case LINUX_SLL2:
                return true;
            default:
                return false;
        }
    }
}
