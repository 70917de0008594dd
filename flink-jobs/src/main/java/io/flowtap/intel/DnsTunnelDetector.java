package io.flowtap.intel;

import io.flowtap.dpi.DomainNames;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * DNS tunnelling by one local address under one domain in one window: at least {@code min_names}
 * distinct names asked for whose part below the registrable domain is at least {@code min_length}
 * characters long. Tunnels encode their data in such labels (base32, hex); ordinary names below a
 * domain are short and few.
 */
final class DnsTunnelDetector extends WindowDetector {
    private static final long serialVersionUID = 1L;

    private final long minNames;
    private final long minLength;

    DnsTunnelDetector(Indicator indicator, ObservationWindows windows) {
        super(indicator, windows);
        this.minNames = indicator.number("min_names");
        this.minLength = indicator.number("min_length");
    }

    /** The key a DNS observation is counted under: agent, local address, registrable domain. */
    static String keyOf(IntelObservation o) {
        return o.agentId + "/" + o.localIp + "/" + DomainNames.registrable(o.name);
    }

    @Override
    protected IntelObservation decide(
            List<IntelObservation> sorted, ObjectNode evidence, Context context) {
        Set<String> names = new HashSet<>();
        IntelObservation hit = null;
        String domain = null;
        for (IntelObservation o : sorted) {
            String name = DomainNames.normalize(o.name);
            String registrable = DomainNames.registrable(name);
            int below = name.length() - registrable.length() - 1;
            if (below >= minLength && names.add(name) && hit == null && names.size() >= minNames) {
                hit = o;
                domain = registrable;
            }
        }
        if (hit == null) {
            return null;
        }
        evidence.put("local_ip", hit.localIp)
                .put("domain", domain.toLowerCase(Locale.ROOT))
                .put("names", names.size());
        return hit;
    }
}
