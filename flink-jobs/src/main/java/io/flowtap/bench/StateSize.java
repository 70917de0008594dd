package io.flowtap.bench;

import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.file.Frame;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.flow.FlowLifecycle;
import io.flowtap.flow.FlowSettings;
import io.flowtap.flow.FlowState;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schema.Sha1;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How much state a flow takes: the flow tracker's work (decoding, event assembly, the flow
 * lifecycle with DPI) over a capture without Flink and without purging, then, over the flows held
 * at the end, the heap their {@link FlowState}s retain (heap after a full collection with and
 * without them) and the bytes Flink's serializer writes for each (what RocksDB stores and a heap
 * checkpoint writes, before compression), for all flows and for those whose DPI is complete.
 *
 * <pre>java -cp ... io.flowtap.bench.StateSize capture.pcap</pre>
 */
public final class StateSize {
    private StateSize() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: StateSize <capture.pcap>");
            System.exit(2);
        }
        Path capture = Paths.get(args[0]);
        Map<Sha1, FlowState> flows = track(capture);

        TypeSerializer<FlowState> serializer =
                TypeInformation.of(FlowState.class).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(4096);
        long bytes = 0;
        long completeBytes = 0;
        int complete = 0;
        for (FlowState f : flows.values()) {
            out.clear();
            serializer.serialize(f, out);
            bytes += out.length();
            if (f.dpiComplete) {
                completeBytes += out.length();
                complete++;
            }
        }
        long withFlows = usedHeapAfterGc();
        int n = flows.size();
        flows.clear();
        long without = usedHeapAfterGc();
        System.out.printf(
                Locale.ROOT,
                "flows held: %d (DPI complete: %d)%n"
                        + "heap retained per flow: %.0f bytes%n"
                        + "serialized per flow: %.0f bytes (DPI complete: %.0f bytes)%n",
                n,
                complete,
                (withFlows - without) / (double) n,
                bytes / (double) n,
                complete == 0 ? 0.0 : completeBytes / (double) complete);
    }

    /** Every flow of the capture as the tracker holds it after its last packet. */
    private static Map<Sha1, FlowState> track(Path capture) throws Exception {
        FlowSettings settings = FlowSettings.defaults();
        FlowLifecycle lifecycle = new FlowLifecycle(settings);
        PacketEventAssembler assembler =
                new PacketEventAssembler("state-size", settings.maxDetectionPackets(), 1 << 16);
        PacketDecoder decoder = new PacketDecoder();
        Map<Sha1, FlowState> flows = new HashMap<>();
        try (InputStream in = Files.newInputStream(capture);
                CaptureReader reader =
                        CaptureReader.open(in, capture.getFileName().toString(), "pcap")) {
            Frame frame = new Frame();
            DecodedPacket p = new DecodedPacket();
            while (reader.next(frame)) {
                if (decoder.decode(frame, p) != DecodeResult.OK) {
                    continue;
                }
                PacketEvent e = assembler.assemble(p, frame.interfaceName, frame.data);
                Sha1 digest = e.getFlow().getDigest();
                FlowState f = lifecycle.onEvent(flows.get(digest), e, FlowLifecycle.Output.NONE);
                if (f == null) {
                    flows.remove(digest);
                } else {
                    flows.put(digest, f);
                }
            }
        }
        return flows;
    }

    private static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
