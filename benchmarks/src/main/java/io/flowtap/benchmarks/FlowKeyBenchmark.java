package io.flowtap.benchmarks;

import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.flow.FlowKeys;
import io.flowtap.capture.flow.PacketEventAssembler;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Per packet: the canonical direction and flow digest (SHA-1 over the key), and the reader's whole
 * event assembly (flow table lookup, sequence tracking, the event), cycling over decoded packets.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FlowKeyBenchmark {
    private Captures.Decoded[] packets;
    private PacketEventAssembler assembler;
    private int next;

    @Setup
    public void load() {
        packets =
                Captures.decoded(Captures.frames(Captures.all())).toArray(new Captures.Decoded[0]);
        assembler = new PacketEventAssembler("bench", 32, 1 << 16);
    }

    private Captures.Decoded nextPacket() {
        Captures.Decoded d = packets[next];
        next = next + 1 == packets.length ? 0 : next + 1;
        return d;
    }

    /** What a flow's first packet costs: direction and the SHA-1 digest of its key. */
    @Benchmark
    public byte[] digest() {
        DecodedPacket p = nextPacket().packet();
        boolean fromLower = FlowKeys.sourceIsLower(p);
        int n = p.addrLength;
        return FlowKeys.digest(
                "pcap",
                p.ipVersion,
                p.ipProtocol,
                p.vlanId,
                Arrays.copyOf(fromLower ? p.srcAddr : p.dstAddr, n),
                Arrays.copyOf(fromLower ? p.dstAddr : p.srcAddr, n),
                n,
                p.hasMacs ? (fromLower ? p.srcMac : p.dstMac) : null,
                fromLower ? p.srcPort : p.dstPort,
                fromLower ? p.dstPort : p.srcPort);
    }

    /** What every packet costs in the reader after decoding (flows found in the table). */
    @Benchmark
    public Object assemble() {
        Captures.Decoded d = nextPacket();
        return assembler.assemble(d.packet(), d.frame().interfaceName, d.frame().data);
    }
}
