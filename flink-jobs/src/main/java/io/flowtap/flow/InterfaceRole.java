package io.flowtap.flow;

/** Netify's interface roles: a LAN interface faces local hosts, a WAN interface the Internet. */
public enum InterfaceRole {
    LAN,
    WAN;

    public static InterfaceRole parse(String s) {
        switch (s.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "lan":
                return LAN;
            case "wan":
                return WAN;
            default:
                throw new IllegalArgumentException(
                        "interface role must be 'lan' or 'wan', not '" + s + "'");
        }
    }
}
