package io.flowtap.job;

import io.flowtap.capture.flow.FlowKeys;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.java.functions.KeySelector;

/**
 * Keys packet events by agent and flow digest: one key per flow per capture agent. The digest
 * already covers interface, VLAN, protocol, addresses and ports.
 */
public final class FlowKeySelector implements KeySelector<PacketEvent, String> {
    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(PacketEvent event) {
        return event.getAgentId() + "/" + FlowKeys.hex(event.getFlow().getDigest().bytes());
    }
}
