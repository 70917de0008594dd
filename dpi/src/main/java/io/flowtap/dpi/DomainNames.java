package io.flowtap.dpi;

import java.util.Locale;
import java.util.Set;

/**
 * Registrable domains of host names, without a public suffix list: the last two labels, or the last
 * three where the second-level label is one of the generic ones that countries register under
 * ({@code co.uk}, {@code com.au}, {@code ac.jp} and the like).
 */
public final class DomainNames {
    private static final Set<String> SECOND_LEVEL =
            Set.of("ac", "co", "com", "edu", "gov", "net", "org", "or", "ne", "go", "mil", "gob");

    private DomainNames() {}

    /** The name in lower case without a final dot. */
    public static String normalize(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /**
     * The registrable domain of a host name, e.g. {@code example.co.uk} of {@code a.example.co.uk}.
     */
    public static String registrable(String name) {
        String n = normalize(name);
        int last = n.lastIndexOf('.');
        if (last <= 0) {
            return n;
        }
        int second = n.lastIndexOf('.', last - 1);
        if (second < 0) {
            return n;
        }
        String tld = n.substring(last + 1);
        String sld = n.substring(second + 1, last);
        if (tld.length() == 2 && SECOND_LEVEL.contains(sld)) {
            int third = n.lastIndexOf('.', second - 1);
            return third < 0 ? n : n.substring(third + 1);
        }
        return n.substring(second + 1);
    }
}
