package io.flowtap.flow;

import io.flowtap.capture.flow.EndpointClassifier;
import io.flowtap.capture.flow.NetworkSet;

import java.io.Serializable;
import java.util.Objects;

/**
 * What the flow tracker knows about a capture interface: its role and its local networks. A LAN
 * interface treats Netify's reserved ranges as local unless told otherwise; a WAN interface has no
 * local networks by default.
 */
public final class InterfaceSettings implements Serializable {
    private static final long serialVersionUID = 1L;

    private final InterfaceRole role;
    private final EndpointClassifier classifier;

    public InterfaceSettings(InterfaceRole role, NetworkSet localNetworks) {
        this.role = Objects.requireNonNull(role, "role");
        this.classifier = new EndpointClassifier(Objects.requireNonNull(localNetworks));
    }

    public static InterfaceSettings defaults(InterfaceRole role) {
        return new InterfaceSettings(
                role,
                role == InterfaceRole.LAN
                        ? NetworkSet.of(NetworkSet.RESERVED)
                        : NetworkSet.empty());
    }

    public InterfaceRole role() {
        return role;
    }

    public EndpointClassifier classifier() {
        return classifier;
    }

    @Override
    public String toString() {
        return role + " " + classifier.localNetworks();
    }
}
