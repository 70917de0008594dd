package io.flowtap.dpi;

/**
 * Hostnames as Netify reports them in {@code host_server_name}: lower case, made of letters,
 * digits, '.', '-' and '_' (and ':', '[' and ']' for IPv6 literals), cut at the first character
 * outside that set. So an mDNS instance name such as {@code Luca’s iMac._odisk._tcp.local} becomes
 * {@code luca}.
 */
public final class Hostnames {
    private static final int MAX = 253;

    private Hostnames() {}

    /** The Netify form of a name, or null when nothing of it is left. */
    public static String sanitize(String name) {
        if (name == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(name.length(), MAX));
        for (int i = 0; i < name.length() && sb.length() < MAX; i++) {
            char c = Character.toLowerCase(name.charAt(i));
            boolean ok =
                    c >= 'a' && c <= 'z'
                            || c >= '0' && c <= '9'
                            || c == '.'
                            || c == '-'
                            || c == '_'
                            || c == ':'
                            || c == '['
                            || c == ']';
            if (!ok) {
                break;
            }
            sb.append(c);
        }
        return sb.length() == 0 ? null : sb.toString();
    }
}
