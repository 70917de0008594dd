package io.flowtap.intel;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Port and host scans by one local address in one window. A port scan reaches {@code min_ports}
 * distinct ports (per IP protocol) on one other address; a host scan reaches {@code min_hosts}
 * distinct other addresses on one port. With {@code failed_only} (the default) only probes that
 * went nowhere count: flows the other end never answered, or only refused.
 */
final class ScanDetector extends WindowDetector {
    private static final long serialVersionUID = 1L;

    private final boolean ports;
    private final long threshold;

    ScanDetector(Indicator indicator, ObservationWindows windows) {
        super(indicator, windows);
        this.ports = indicator.driver().match() == IntelDriver.Match.PORT_SCAN;
        this.threshold = indicator.number(ports ? "min_ports" : "min_hosts");
    }

    @Override
    protected IntelObservation decide(
            List<IntelObservation> sorted, ObjectNode evidence, Context context) {
        // Port scan: other address -> distinct protocol/port; host scan: protocol/port ->
        // addresses.
        Map<String, Set<String>> targets = new HashMap<>();
        IntelObservation hit = null;
        String target = null;
        for (IntelObservation o : sorted) {
            String service = o.ipProtocol + "/" + o.otherPort;
            String group = ports ? o.otherIp : service;
            Set<String> seen = targets.computeIfAbsent(group, g -> new HashSet<>());
            if (seen.add(ports ? service : o.otherIp) && hit == null && seen.size() >= threshold) {
                hit = o;
                target = group;
            }
        }
        if (hit == null) {
            return null;
        }
        evidence.put("local_ip", hit.localIp);
        if (ports) {
            evidence.put("other_ip", target).put("ports", targets.get(target).size());
        } else {
            evidence.put("ip_protocol", hit.ipProtocol)
                    .put("other_port", hit.otherPort)
                    .put("hosts", targets.get(target).size());
        }
        return hit;
    }
}
