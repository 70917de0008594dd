package io.flowtap.stats;

import io.flowtap.schema.InterfaceCounters;
import io.flowtap.schema.PacketEvent;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One interface's counters summed over counter reports: a Flink POJO (public fields, no-arg
 * constructor) so that window state never falls back to Kryo. Field names are the counters of
 * Netify's {@code interface_stats}.
 */
public class InterfaceTotals {
    public String interfaceName;

    /** The time the totals are windowed by, epoch ms. */
    public long atMs;

    public long captureDropped;
    public long captureFiltered;
    public long discarded;
    public long discardedBytes;
    public long ethernet;
    public long flowDropped;
    public long fragmented;
    public long icmp;
    public long igmp;
    public long ip;
    public long ipBytes;
    public long largestBytes;
    public long mpls;
    public long pppoe;
    public long queueDropped;
    public long raw;
    public long tcp;
    public long tcpResets;
    public long tcpSeqErrors;
    public long udp;
    public long vlan;
    public long wireBytes;

    public InterfaceTotals() {}

    /** The counters of one report. */
    public static InterfaceTotals of(PacketEvent report) {
        InterfaceCounters c = report.getCounters();
        InterfaceTotals t = new InterfaceTotals();
        t.interfaceName = report.getInterface$();
        t.captureDropped = c.getCaptureDropped();
        t.captureFiltered = c.getCaptureFiltered();
        t.discarded = c.getDiscarded();
        t.discardedBytes = c.getDiscardedBytes();
        t.ethernet = c.getEthernet();
        t.fragmented = c.getFragmented();
        t.icmp = c.getIcmp();
        t.igmp = c.getIgmp();
        t.ip = c.getIp();
        t.ipBytes = c.getIpBytes();
        t.largestBytes = c.getLargestBytes();
        t.mpls = c.getMpls();
        t.pppoe = c.getPppoe();
        t.queueDropped = c.getQueueDropped();
        t.raw = c.getRaw();
        t.tcp = c.getTcp();
        t.tcpResets = c.getTcpResets();
        t.tcpSeqErrors = c.getTcpSeqErrors();
        t.udp = c.getUdp();
        t.vlan = c.getVlan();
        t.wireBytes = c.getWireBytes();
        return t;
    }

    /** A new sum of both: counts add up, {@code largest_bytes} is the larger. */
    public InterfaceTotals plus(InterfaceTotals o) {
        InterfaceTotals t = new InterfaceTotals();
        t.interfaceName = interfaceName;
        t.atMs = Math.max(atMs, o.atMs);
        t.captureDropped = captureDropped + o.captureDropped;
        t.captureFiltered = captureFiltered + o.captureFiltered;
        t.discarded = discarded + o.discarded;
        t.discardedBytes = discardedBytes + o.discardedBytes;
        t.ethernet = ethernet + o.ethernet;
        t.flowDropped = flowDropped + o.flowDropped;
        t.fragmented = fragmented + o.fragmented;
        t.icmp = icmp + o.icmp;
        t.igmp = igmp + o.igmp;
        t.ip = ip + o.ip;
        t.ipBytes = ipBytes + o.ipBytes;
        t.largestBytes = Math.max(largestBytes, o.largestBytes);
        t.mpls = mpls + o.mpls;
        t.pppoe = pppoe + o.pppoe;
        t.queueDropped = queueDropped + o.queueDropped;
        t.raw = raw + o.raw;
        t.tcp = tcp + o.tcp;
        t.tcpResets = tcpResets + o.tcpResets;
        t.tcpSeqErrors = tcpSeqErrors + o.tcpSeqErrors;
        t.udp = udp + o.udp;
        t.vlan = vlan + o.vlan;
        t.wireBytes = wireBytes + o.wireBytes;
        return t;
    }

    /** Writes the counters into {@code node}, in alphabetical order as Netify's agent does. */
    public void writeTo(ObjectNode node) {
        node.put("capture_dropped", captureDropped);
        node.put("capture_filtered", captureFiltered);
        node.put("discarded", discarded);
        node.put("discarded_bytes", discardedBytes);
        node.put("ethernet", ethernet);
        node.put("flow_dropped", flowDropped);
        node.put("fragmented", fragmented);
        node.put("icmp", icmp);
        node.put("igmp", igmp);
        node.put("ip", ip);
        node.put("ip_bytes", ipBytes);
        node.put("largest_bytes", largestBytes);
        node.put("mpls", mpls);
        node.put("pppoe", pppoe);
        node.put("queue_dropped", queueDropped);
        node.put("raw", raw);
        node.put("tcp", tcp);
        node.put("tcp_resets", tcpResets);
        node.put("tcp_seq_errors", tcpSeqErrors);
        node.put("udp", udp);
        node.put("vlan", vlan);
        node.put("wire_bytes", wireBytes);
    }
}
