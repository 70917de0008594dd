package io.flowtap.dpi.dissectors;

import io.flowtap.dpi.Bytes;
import io.flowtap.dpi.Dissector;
import io.flowtap.dpi.DpiContext;
import io.flowtap.dpi.DpiPacket;
import io.flowtap.dpi.DpiState;
import io.flowtap.dpi.FlowMetadata;
import io.flowtap.dpi.Hostnames;
import io.flowtap.dpi.Protocols;
import io.flowtap.dpi.StreamBuffer;
import io.flowtap.dpi.Verdict;

/**
 * DNS over UDP and TCP (RFC 1035, RFC 7766), multicast DNS (RFC 6762) and LLMNR (RFC 4795) on their
 * ports: the query name becomes {@code host_server_name}; for mDNS the first PTR answer is {@code
 * mdns.answer}.
 */
public final class DnsDissector implements Dissector {
    private static final int DNS_PORT = 53;
    private static final int MDNS_PORT = 5353;
    private static final int LLMNR_PORT = 5355;

    @Override
    public String name() {
        return "dns";
    }

    @Override
    public boolean applies(DpiPacket p) {
        return (p.isUdp() || p.isTcp())
                && (p.hasPort(DNS_PORT) || p.hasPort(MDNS_PORT) || p.hasPort(LLMNR_PORT));
    }

    @Override
    public Verdict inspect(DpiContext c) {
        DpiPacket p = c.packet();
        // The message's bytes: the datagram, or the first length-prefixed message of the
        // sender's TCP stream (RFC 1035 4.2.2).
        byte[] b;
        int start;
        int end;
        if (p.isUdp()) {
            b = p.payload;
            start = p.offset;
            end = p.offset + p.length;
        } else {
            StreamBuffer s = p.fromClient ? c.clientStream() : c.serverStream();
            if (s == null || s.length < 2) {
                return Verdict.NEED_MORE;
            }
            int n = Bytes.u16(s.data, 0);
            if (s.length - 2 < n) {
                return s.length >= StreamBuffer.CAPACITY ? Verdict.VIOLATION : Verdict.NEED_MORE;
            }
            b = s.data;
            start = 2;
            end = 2 + n;
        }
        DnsMessage msg = DnsMessage.parse(b, start, end - start);
        FlowMetadata m = c.metadata();
        if (msg == null) {
            return m.protocol != 0 ? Verdict.VIOLATION : Verdict.EXCLUDED;
        }
        m.protocol = protocol(p);
        String name = msg.questionName;
        if (name == null && !msg.answerRecords.isEmpty()) {
            name = msg.answerRecords.get(0).name;
        }
        if (name != null && !name.isEmpty() && m.hostServerName == null) {
            m.hostServerName = Hostnames.sanitize(name);
            c.updated();
        }
        if (m.protocol == Protocols.MDNS && m.mdnsAnswer == null) {
            for (DnsMessage.Record r : msg.answerRecords) {
                if (r.type == DnsMessage.TYPE_PTR) {
                    String[] target = new String[1];
                    if (DnsMessage.name(b, start, end, r.dataOffset, target) > 0) {
                        m.mdnsAnswer = target[0];
                        c.updated();
                    }
                    break;
                }
            }
        }
        DpiState s = c.state();
        s.datagrams++;
        // A query and its response, or a lone response, tell all there is.
        return msg.response || s.datagrams >= 2 ? Verdict.DONE : Verdict.DETECTED;
    }

    private static int protocol(DpiPacket p) {
        if (p.hasPort(MDNS_PORT)) {
            return Protocols.MDNS;
        }
        if (p.hasPort(LLMNR_PORT)) {
            return Protocols.LLMNR;
        }
        return Protocols.DNS;
    }
}
