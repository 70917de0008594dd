package io.flowtap.expr;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Named lists of addresses, networks and MAC addresses that expressions name as {@code @name}. */
public final class AddressGroups implements Serializable {
    private static final long serialVersionUID = 1L;

    /** No groups. */
    public static final AddressGroups NONE = new AddressGroups(Map.of());

    /** The members of one group. */
    record Group(List<Literals.Network> networks, List<byte[]> macs) implements Serializable {
        boolean containsAddress(byte[] a) {
            for (Literals.Network n : networks) {
                if (n.contains(a)) {
                    return true;
                }
            }
            return false;
        }

        boolean containsMac(byte[] m) {
            for (byte[] mac : macs) {
                if (Arrays.equals(mac, m)) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, Group> groups;

    private AddressGroups(Map<String, Group> groups) {
        this.groups = groups;
    }

    /**
     * Groups by name, each a list of IPv4/IPv6 addresses, networks in CIDR notation or MAC
     * addresses.
     *
     * @throws IllegalArgumentException naming the group and the entry that is none of these
     */
    public static AddressGroups of(Map<String, List<String>> members) {
        Map<String, Group> out = new LinkedHashMap<>();
        members.forEach(
                (name, entries) -> {
                    List<Literals.Network> nets = new ArrayList<>();
                    List<byte[]> macs = new ArrayList<>();
                    for (String e : entries) {
                        byte[] mac = Literals.mac(e.trim());
                        Literals.Network net = mac == null ? Literals.network(e.trim()) : null;
                        if (mac != null) {
                            macs.add(mac);
                        } else if (net != null) {
                            nets.add(net);
                        } else {
                            throw new IllegalArgumentException(
                                    "address group @"
                                            + name
                                            + ": '"
                                            + e
                                            + "' is not an address, a network or a MAC address");
                        }
                    }
                    out.put(name, new Group(List.copyOf(nets), List.copyOf(macs)));
                });
        return new AddressGroups(out);
    }

    Group get(String name) {
        return groups.get(name);
    }
}
