package io.flowtap.capture.flow;

import java.io.Serializable;

/**
 * Decides which end of a flow is local and what the other end is, from the interface's local
 * networks. The rules, in order (docs/semantics.md has the table):
 *
 * <ol>
 *   <li>a multicast or broadcast end is the other end ({@code multicast}/{@code broadcast});
 *   <li>one end in the local networks and one outside: the inside end is local, {@code remote};
 *   <li>both inside: the originator is local, {@code local};
 *   <li>both outside: the originator is local, {@code remote}.
 * </ol>
 *
 * The unspecified addresses (0.0.0.0/8, ::) count as local: they are hosts still configuring.
 */
public final class EndpointClassifier implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Address classes, in the order the rules above consult them. */
    public enum AddressClass {
        MULTICAST,
        BROADCAST,
        LOCAL,
        OTHER
    }

    /** The outcome for one flow. */
    public static final class Sides {
        public final boolean lowerIsLocal;
        public final OtherType otherType;

        Sides(boolean lowerIsLocal, OtherType otherType) {
            this.lowerIsLocal = lowerIsLocal;
            this.otherType = otherType;
        }
    }

    private final NetworkSet localNetworks;

    public EndpointClassifier(NetworkSet localNetworks) {
        this.localNetworks = localNetworks;
    }

    public NetworkSet localNetworks() {
        return localNetworks;
    }

    public AddressClass classify(byte[] addr, int addrLength) {
        if (addrLength == 4) {
            int first = addr[0] & 0xff;
            if ((addr[0] & addr[1] & addr[2] & addr[3]) == (byte) 0xff) {
                return AddressClass.BROADCAST;
            }
            if (first >= 224 && first <= 239) {
                return AddressClass.MULTICAST;
            }
            if (first == 0) {
                return AddressClass.LOCAL;
            }
        } else {
            if ((addr[0] & 0xff) == 0xff) {
                return AddressClass.MULTICAST;
            }
            if (isZero(addr, 16)) {
                return AddressClass.LOCAL;
            }
        }
        return localNetworks.contains(addr, addrLength) ? AddressClass.LOCAL : AddressClass.OTHER;
    }

    /**
     * @param lowerIsOrigin whether the lower endpoint opened the flow
     */
    public Sides decide(byte[] lowerAddr, byte[] upperAddr, int addrLength, boolean lowerIsOrigin) {
        AddressClass lower = classify(lowerAddr, addrLength);
        AddressClass upper = classify(upperAddr, addrLength);
        if (lower == AddressClass.MULTICAST || lower == AddressClass.BROADCAST) {
            return new Sides(false, groupType(lower));
        }
        if (upper == AddressClass.MULTICAST || upper == AddressClass.BROADCAST) {
            return new Sides(true, groupType(upper));
        }
        if (lower == AddressClass.LOCAL && upper == AddressClass.OTHER) {
            return new Sides(true, OtherType.REMOTE);
        }
        if (lower == AddressClass.OTHER && upper == AddressClass.LOCAL) {
            return new Sides(false, OtherType.REMOTE);
        }
        OtherType type = lower == AddressClass.LOCAL ? OtherType.LOCAL : OtherType.REMOTE;
        return new Sides(lowerIsOrigin, type);
    }

    private static OtherType groupType(AddressClass c) {
        return c == AddressClass.MULTICAST ? OtherType.MULTICAST : OtherType.BROADCAST;
    }

    private static boolean isZero(byte[] a, int n) {
        for (int i = 0; i < n; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
