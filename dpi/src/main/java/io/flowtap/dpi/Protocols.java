package io.flowtap.dpi;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Netify's protocol ids and names (v5), as its agent reports them. */
public final class Protocols {
    public static final int UNKNOWN = 0;
    public static final int FTP_CONTROL = 1;
    public static final int DNS = 5;
    public static final int HTTP = 7;
    public static final int MDNS = 8;
    public static final int NTP = 9;
    public static final int NETBIOS = 10;
    public static final int SSDP = 12;
    public static final int SNMP = 14;
    public static final int SYSLOG = 17;
    public static final int DHCP = 18;
    public static final int FTPS = 21;
    public static final int POPS = 23;
    public static final int SMTPS = 29;
    public static final int BITTORRENT = 37;
    public static final int IMAPS = 51;
    public static final int TELNET = 77;
    public static final int STUN = 78;
    public static final int IPSEC = 79;
    public static final int GRE = 80;
    public static final int ICMP = 81;
    public static final int IGMP = 82;
    public static final int SCTP = 84;
    public static final int OSPF = 85;
    public static final int RDP = 88;
    public static final int TLS = 91;
    public static final int SSH = 92;
    public static final int ICMPV6 = 102;
    public static final int DHCPV6 = 103;
    public static final int LLMNR = 154;
    public static final int OPENVPN = 159;
    public static final int QUIC = 188;
    public static final int HTTPS = 196;
    public static final int WIREGUARD = 206;
    public static final int MQTT = 222;
    public static final int DOH = 243;
    public static final int DTLS = 244;
    public static final int SIPS = 257;
    public static final int MQTTS = 258;
    public static final int NNTPS = 259;
    public static final int DOT = 260;

    /** Names by id (ids are small and dense), null for ids not in the catalog. */
    private static final String[] NAMES = byId(load());

    private Protocols() {}

    /** The Netify name of a protocol id; "Unknown" for ids not in the catalog. */
    public static String name(int id) {
        String name = id >= 0 && id < NAMES.length ? NAMES[id] : null;
        return name == null ? "Unknown" : name;
    }

    public static boolean isKnown(int id) {
        return id >= 0 && id < NAMES.length && NAMES[id] != null;
    }

    private static String[] byId(Map<Integer, String> names) {
        int max = names.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        String[] byId = new String[max + 1];
        names.forEach((id, name) -> byId[id] = name);
        return byId;
    }

    private static Map<Integer, String> load() {
        Map<Integer, String> m = new HashMap<>();
        try (InputStream in = Protocols.class.getResourceAsStream("protocols.tsv");
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                String name = f[1].isEmpty() ? f[2] : f[1];
                m.put(Integer.parseInt(f[0]), name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("protocol catalog missing from the jar", e);
        }
        return m;
    }
}
