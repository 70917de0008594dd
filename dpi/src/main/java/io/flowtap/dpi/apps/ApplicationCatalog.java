package io.flowtap.dpi.apps;

import io.flowtap.dpi.FlowMetadata;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Applications by domain and network: a host name matches a domain when it equals it or ends with
 * "." and the domain, the longest matching domain winning; an address matches the longest network
 * prefix that contains it. docs/applications.md describes the file format.
 */
public final class ApplicationCatalog implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final String BUNDLED = "/io/flowtap/dpi/catalog/applications.txt";

    /** One application. */
    public record Application(int id, String tag, int category, String label)
            implements Serializable {
        /** Netify's {@code detected_application_name}: {@code <id>.<tag>}. */
        public String name() {
            return id + "." + tag;
        }
    }

    /** One category. */
    public record Category(int id, String tag, String label) implements Serializable {}

    private final Map<Integer, Application> applications;
    private final Map<Integer, Category> categories;
    private final Map<String, Application> domains;

    /** Networks, longest prefix first. */
    private final List<Network> networks;

    private record Network(byte[] prefix, int bits, Application app) implements Serializable {}

    private ApplicationCatalog(
            Map<Integer, Application> applications,
            Map<Integer, Category> categories,
            Map<String, Application> domains,
            List<Network> networks) {
        this.applications = applications;
        this.categories = categories;
        this.domains = domains;
        this.networks = networks;
    }

    private static volatile ApplicationCatalog bundled;

    /** The catalog shipped with Flowtap. */
    public static ApplicationCatalog bundled() {
        ApplicationCatalog c = bundled;
        if (c == null) {
            try (InputStream in = ApplicationCatalog.class.getResourceAsStream(BUNDLED)) {
                c = load(new InputStreamReader(in, StandardCharsets.UTF_8), "applications.txt");
            } catch (IOException e) {
                throw new UncheckedIOException("bundled application catalog unreadable", e);
            }
            bundled = c;
        }
        return c;
    }

    /**
     * Reads a catalog.
     *
     * @throws IllegalArgumentException naming the source and line of the first error
     */
    public static ApplicationCatalog load(Reader reader, String source) throws IOException {
        Map<Integer, Application> apps = new HashMap<>();
        Map<Integer, Category> categories = new HashMap<>();
        Map<String, Application> domains = new HashMap<>();
        List<Network> networks = new ArrayList<>();
        BufferedReader r = new BufferedReader(reader);
        String line;
        int number = 0;
        while ((line = r.readLine()) != null) {
            number++;
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] f = t.split("\\s+", 5);
            try {
                switch (f[0]) {
                    case "category":
                        need(f, 4);
                        int cid = Integer.parseInt(f[1]);
                        categories.put(cid, new Category(cid, f[2], rest(t, 3)));
                        break;
                    case "app":
                        need(f, 5);
                        int id = Integer.parseInt(f[1]);
                        apps.put(id, new Application(id, f[2], Integer.parseInt(f[3]), rest(t, 4)));
                        break;
                    case "domain":
                        need(f, 3);
                        domains.put(f[2].toLowerCase(Locale.ROOT), app(apps, f[1]));
                        break;
                    case "network":
                        need(f, 3);
                        networks.add(network(f[2], app(apps, f[1])));
                        break;
                    default:
                        throw new IllegalArgumentException("unknown entry '" + f[0] + "'");
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        source + ", line " + number + ": " + e.getMessage(), e);
            }
        }
        networks.sort((a, b) -> Integer.compare(b.bits, a.bits));
        return new ApplicationCatalog(
                Collections.unmodifiableMap(apps),
                Collections.unmodifiableMap(categories),
                Collections.unmodifiableMap(domains),
                Collections.unmodifiableList(networks));
    }

    private static void need(String[] f, int n) {
        if (f.length < n) {
            throw new IllegalArgumentException("'" + f[0] + "' needs " + (n - 1) + " fields");
        }
    }

    private static String rest(String line, int fieldsBefore) {
        return line.split("\\s+", fieldsBefore + 1)[fieldsBefore];
    }

    private static Application app(Map<Integer, Application> apps, String id) {
        Application a = apps.get(Integer.parseInt(id));
        if (a == null) {
            throw new IllegalArgumentException("application " + id + " is not declared above");
        }
        return a;
    }

    private static Network network(String cidr, Application app) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("network '" + cidr + "' needs a prefix length");
        }
        try {
            byte[] prefix = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (bits < 0 || bits > prefix.length * 8) {
                throw new IllegalArgumentException("prefix length out of range in '" + cidr + "'");
            }
            return new Network(prefix, bits, app);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not a network: '" + cidr + "'", e);
        }
    }

    /** The application of the longest domain that the host name is or is under, or null. */
    public Application byHost(String host) {
        if (host == null || host.isEmpty()) {
            return null;
        }
        String h = host.toLowerCase(Locale.ROOT);
        while (true) {
            Application a = domains.get(h);
            if (a != null) {
                return a;
            }
            int dot = h.indexOf('.');
            if (dot < 0) {
                return null;
            }
            h = h.substring(dot + 1);
        }
    }

    /** The application of the longest network containing the address, or null. */
    public Application byAddress(byte[] addr) {
        for (Network n : networks) {
            if (n.prefix.length == addr.length && matches(n.prefix, n.bits, addr)) {
                return n.app;
            }
        }
        return null;
    }

    private static boolean matches(byte[] prefix, int bits, byte[] addr) {
        int whole = bits / 8;
        for (int i = 0; i < whole; i++) {
            if (prefix[i] != addr[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (prefix[whole] & mask) == (addr[whole] & mask);
    }

    public Category category(int id) {
        return categories.get(id);
    }

    public int size() {
        return applications.size();
    }

    /**
     * Names the flow's application: by its own host name first (SNI, Host, query name), then by the
     * DNS hint for the other end's address (which sets {@code dhcHit}), then by that address.
     *
     * @return true when the application changed
     */
    public boolean classify(FlowMetadata m, byte[] otherAddr) {
        Application a = byHost(m.hostServerName);
        boolean fromHint = false;
        if (a == null) {
            a = byHost(m.dnsHostName);
            fromHint = a != null;
        }
        if (a == null && otherAddr != null) {
            a = byAddress(otherAddr);
        }
        m.dhcHit = fromHint;
        if (a == null || a.id() == m.application) {
            return false;
        }
        m.application = a.id();
        m.applicationTag = a.name();
        m.applicationCategory = a.category();
        return true;
    }
}
