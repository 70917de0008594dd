package io.flowtap.connectors.pcap;

import io.flowtap.capture.file.CaptureFiles;
import io.flowtap.schema.PacketEvent;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A bounded source of {@link PacketEvent}s read from pcap and pcapng files. Files are handed out in
 * the order of their first packet's timestamp, one whole file per reader at a time.
 *
 * <pre>{@code
 * PcapSource source = PcapSource.builder()
 *     .addPaths(List.of(Path.of("capture.pcap")))
 *     .setAgentId("backfill")
 *     .build();
 * }</pre>
 */
public final class PcapSource
        implements Source<PacketEvent, PcapSplit, List<PcapSplit>>,
                ResultTypeQueryable<PacketEvent> {
    private static final long serialVersionUID = 1L;

    /** Reader settings, fixed when the job is built. */
    static final class Settings implements Serializable {
        private static final long serialVersionUID = 1L;
        final String agentId;
        final String defaultInterface;
        final int payloadPackets;
        final int flowTableSize;
        final boolean interfacePerFile;

        /** The update interval counter reports are cut at; 0 for no reports. */
        final long counterReportsMs;

        /** Packets of a flow joined into one event at most (1: one event per packet). */
        final int coalescePackets;

        /** Capture time a flow's event may wait for more packets, in ns. */
        final long coalesceDelayNs;

        Settings(
                String agentId,
                String defaultInterface,
                int payloadPackets,
                int flowTableSize,
                boolean interfacePerFile,
                long counterReportsMs,
                int coalescePackets,
                long coalesceDelayNs) {
            this.agentId = agentId;
            this.defaultInterface = defaultInterface;
            this.payloadPackets = payloadPackets;
            this.flowTableSize = flowTableSize;
            this.interfacePerFile = interfacePerFile;
            this.counterReportsMs = counterReportsMs;
            this.coalescePackets = coalescePackets;
            this.coalesceDelayNs = coalesceDelayNs;
        }
    }

    /** Packets of a flow one event holds at most, by default. */
    public static final int DEFAULT_COALESCE_PACKETS = 64;

    /** Capture time a flow's event waits for more packets, by default. */
    public static final java.time.Duration DEFAULT_COALESCE_DELAY =
            java.time.Duration.ofMillis(200);

    private final List<PcapSplit> splits;
    private final Settings settings;

    private PcapSource(List<PcapSplit> splits, Settings settings) {
        this.splits = splits;
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The files this source reads, in reading order. */
    public List<String> files() {
        List<String> files = new ArrayList<>();
        for (PcapSplit s : splits) {
            files.addAll(s.paths());
        }
        return files;
    }

    @Override
    public Boundedness getBoundedness() {
        return Boundedness.BOUNDED;
    }

    @Override
    public SourceReader<PacketEvent, PcapSplit> createReader(SourceReaderContext context) {
        return new PcapSourceReader(context, settings);
    }

    @Override
    public SplitEnumerator<PcapSplit, List<PcapSplit>> createEnumerator(
            SplitEnumeratorContext<PcapSplit> context) {
        return new PcapSplitEnumerator(context, splits);
    }

    @Override
    public SplitEnumerator<PcapSplit, List<PcapSplit>> restoreEnumerator(
            SplitEnumeratorContext<PcapSplit> context, List<PcapSplit> checkpoint) {
        return new PcapSplitEnumerator(context, checkpoint);
    }

    @Override
    public SimpleVersionedSerializer<PcapSplit> getSplitSerializer() {
        return PcapSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<List<PcapSplit>> getEnumeratorCheckpointSerializer() {
        return PcapSplitSerializer.PendingSerializer.INSTANCE;
    }

    @Override
    public TypeInformation<PacketEvent> getProducedType() {
        return new AvroTypeInfo<>(PacketEvent.class);
    }

    /** Builds a {@link PcapSource}; validates its arguments. */
    public static final class Builder {
        private final List<Path> paths = new ArrayList<>();
        private String agentId = "flowtap";
        private String defaultInterface = "pcap";
        private int payloadPackets = 32;
        private int flowTableSize = 65_536;
        private boolean filesInParallel;
        private boolean interfacePerFile;
        private long counterReportsMs;
        private int coalescePackets = DEFAULT_COALESCE_PACKETS;
        private long coalesceDelayNs = DEFAULT_COALESCE_DELAY.toNanos();

        private Builder() {}

        /** Capture files or directories (searched recursively). */
        public Builder addPaths(List<Path> inputs) {
            paths.addAll(inputs);
            return this;
        }

        public Builder setAgentId(String agentId) {
            this.agentId = Objects.requireNonNull(agentId, "agentId");
            return this;
        }

        /** Interface name for frames whose file records none (classic pcap). */
        public Builder setDefaultInterface(String name) {
            this.defaultInterface = Objects.requireNonNull(name, "defaultInterface");
            return this;
        }

        /** How many packets of each flow carry their payload (for DPI). */
        public Builder setPayloadPackets(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("payloadPackets must be >= 0");
            }
            this.payloadPackets = n;
            return this;
        }

        public Builder setFlowTableSize(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("flowTableSize must be >= 1");
            }
            this.flowTableSize = n;
            return this;
        }

        /**
         * Reads files in parallel, one per reader, instead of one after the other. Only for
         * captures that never share a flow (different links, or far apart in time): a flow that
         * continues from one file into the next would receive its packets out of order.
         */
        public Builder setFilesInParallel(boolean parallel) {
            this.filesInParallel = parallel;
            return this;
        }

        /**
         * Names each file's interface after the file (its path below the directory given, or its
         * name), for files that record no interface names; captures of different links then never
         * share flows.
         */
        public Builder setInterfacePerFile(boolean perFile) {
            this.interfacePerFile = perFile;
            return this;
        }

        /**
         * Also emits the decoder's counters of each file as reports, one per {@code intervalMs} of
         * capture time (aligned to the epoch) and one at the file's end, for the interface
         * statistics; 0 (the default) emits none.
         */
        public Builder setCounterReports(long intervalMs) {
            if (intervalMs < 0) {
                throw new IllegalArgumentException("counter report interval must be >= 0");
            }
            this.counterReportsMs = intervalMs;
            return this;
        }

        /**
         * Joins up to {@code maxPackets} consecutive packets of a flow, within {@code maxDelay} of
         * capture time, into one event (by default 64 and 200 ms); {@code 1} emits an event per
         * packet. The delay must stay below the job's watermark out-of-orderness.
         */
        public Builder setCoalescing(int maxPackets, java.time.Duration maxDelay) {
            if (maxPackets < 1 || maxDelay.isNegative()) {
                throw new IllegalArgumentException(
                        "coalescing takes at least 1 packet and a delay of 0 or more");
            }
            this.coalescePackets = maxPackets;
            this.coalesceDelayNs = maxDelay.toNanos();
            return this;
        }

        /** The file's path below the input directory it was found in, or its file name. */
        private String nameOf(Path file) {
            Path abs = file.toAbsolutePath().normalize();
            for (Path in : paths) {
                Path root = in.toAbsolutePath().normalize();
                if (!root.equals(abs) && abs.startsWith(root)) {
                    return root.relativize(abs).toString();
                }
            }
            return abs.getFileName().toString();
        }

        /**
         * Expands directories, checks that every file is a capture and orders them by first packet
         * time.
         *
         * @throws IOException naming a file that is missing or not a capture
         */
        public PcapSource build() throws IOException {
            if (paths.isEmpty()) {
                throw new IllegalArgumentException("no capture files given");
            }
            List<Path> files = CaptureFiles.inTimeOrder(CaptureFiles.expand(paths));
            if (files.isEmpty()) {
                throw new IOException("no capture files (.pcap, .pcapng, .cap) under " + paths);
            }
            List<String> ordered = new ArrayList<>(files.size());
            List<String> names = new ArrayList<>(files.size());
            for (Path f : files) {
                ordered.add(f.toAbsolutePath().toString());
                names.add(interfacePerFile ? nameOf(f) : defaultInterface);
            }
            List<PcapSplit> splits = new ArrayList<>();
            if (filesInParallel) {
                for (int i = 0; i < ordered.size(); i++) {
                    splits.add(
                            new PcapSplit(
                                    Integer.toString(i),
                                    List.of(ordered.get(i)),
                                    List.of(names.get(i)),
                                    0,
                                    0));
                }
            } else {
                // One chain in time order: a flow that continues from one file (a rotated
                // capture) into the next keeps its packets in order.
                splits.add(new PcapSplit("0", ordered, names, 0, 0));
            }
            return new PcapSource(
                    splits,
                    new Settings(
                            agentId,
                            defaultInterface,
                            payloadPackets,
                            flowTableSize,
                            interfacePerFile,
                            counterReportsMs,
                            coalescePackets,
                            coalesceDelayNs));
        }
    }
}
