package io.flowtap.connectors.pcap;

import io.flowtap.capture.decode.DecoderCounters;
import io.flowtap.capture.file.CaptureFormatException;
import io.flowtap.capture.file.CaptureReader;
import io.flowtap.capture.flow.EventCoalescer;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.capture.source.CaptureEventReader;
import io.flowtap.schema.PacketEvent;
import io.flowtap.schemas.PacketEvents;

import org.apache.flink.api.connector.source.ReaderOutput;
import org.apache.flink.api.connector.source.SourceOutput;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.fs.local.LocalFileSystem;
import org.apache.flink.core.io.InputStatus;
import org.apache.flink.metrics.MetricGroup;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the capture files assigned to it one after the other, in the task thread: decoding is cheap
 * and a file is read sequentially, so a fetcher thread and its hand-over queue would only add cost.
 * A corrupt file is reported (log, metrics) after its good records were emitted, and reading goes
 * on with the next file.
 */
final class PcapSourceReader implements SourceReader<PacketEvent, PcapSplit> {
    private static final Logger LOG = LoggerFactory.getLogger(PcapSourceReader.class);

    private final SourceReaderContext context;
    private final PcapSource.Settings settings;
    private final Deque<PcapSplit> splits = new ArrayDeque<>();
    private final DecoderCounters finished = new DecoderCounters();
    private final List<String> errors = new ArrayList<>();
    private CompletableFuture<Void> available = new CompletableFuture<>();
    private boolean noMoreSplits;
    private boolean splitRequested;

    private PcapSplit currentSplit;
    private int fileIndex;
    private PacketEventAssembler assembler;
    private CaptureEventReader current;
    private SourceOutput<PacketEvent> currentOutput;
    private long emitted;
    private volatile long events;

    PcapSourceReader(SourceReaderContext context, PcapSource.Settings settings) {
        this.context = context;
        this.settings = settings;
        registerMetrics(context.metricGroup().addGroup(PcapSourceMetrics.GROUP));
    }

    private void registerMetrics(MetricGroup g) {
        g.gauge(PcapSourceMetrics.FRAMES, () -> counter(c -> c.raw));
        g.gauge(PcapSourceMetrics.PACKETS, () -> counter(c -> c.ip));
        g.gauge(PcapSourceMetrics.WIRE_BYTES, () -> counter(c -> c.wireBytes));
        g.gauge(PcapSourceMetrics.DISCARDED, () -> counter(c -> c.discarded));
        g.gauge(PcapSourceMetrics.NOT_IP, () -> counter(c -> c.notIp));
        g.gauge(PcapSourceMetrics.EVENTS, () -> events);
        g.gauge(PcapSourceMetrics.FILE_ERRORS, this::fileErrors);
    }

    private interface Field {
        long get(DecoderCounters c);
    }

    // Read by the metrics thread while the task thread writes: a slightly stale value is fine.
    private long counter(Field f) {
        CaptureEventReader r = current;
        return f.get(finished) + (r == null ? 0 : f.get(r.counters()));
    }

    private synchronized String fileErrors() {
        return String.join("\n", errors);
    }

    @Override
    public void start() {
        requestSplit();
    }

    private void requestSplit() {
        if (!splitRequested && !noMoreSplits) {
            splitRequested = true;
            context.sendSplitRequest();
        }
    }

    @Override
    public InputStatus pollNext(ReaderOutput<PacketEvent> output) throws Exception {
        if (currentSplit == null) {
            PcapSplit next = splits.pollFirst();
            if (next == null) {
                if (noMoreSplits) {
                    return InputStatus.END_OF_INPUT;
                }
                requestSplit();
                if (available.isDone()) {
                    available = new CompletableFuture<>();
                }
                return InputStatus.NOTHING_AVAILABLE;
            }
            startSplit(next, output);
            return InputStatus.MORE_AVAILABLE;
        }
        if (current == null) {
            nextFileOrFinish(output);
            return InputStatus.MORE_AVAILABLE;
        }
        PacketEvent event;
        try {
            event = current.next();
        } catch (CaptureFormatException e) {
            reportError(e.getMessage());
            emitLastReport();
            closeFile();
            return InputStatus.MORE_AVAILABLE;
        } catch (IOException e) {
            reportError(currentPath() + ": read failed: " + e.getMessage());
            emitLastReport();
            closeFile();
            return InputStatus.MORE_AVAILABLE;
        }
        if (event == null) {
            closeFile();
            return InputStatus.MORE_AVAILABLE;
        }
        emitted++;
        events++;
        currentOutput.collect(event, PacketEvents.timestampMs(event));
        return InputStatus.MORE_AVAILABLE;
    }

    /** A file that failed still reports what its decoder counted before the failure. */
    private void emitLastReport() {
        PacketEvent report = current.lastReport();
        if (report != null) {
            emitted++;
            events++;
            currentOutput.collect(report, PacketEvents.timestampMs(report));
        }
    }

    private void startSplit(PcapSplit split, ReaderOutput<PacketEvent> output) {
        currentSplit = split;
        currentOutput = output.createOutputForSplit(split.splitId());
        // One flow table per chain: a flow continuing into the next file keeps its budget.
        assembler =
                new PacketEventAssembler(
                        settings.agentId, settings.payloadPackets, settings.flowTableSize);
        fileIndex = split.fileIndex();
        if (fileIndex < split.paths().size()) {
            openFile(split.eventsEmitted());
        }
    }

    /** Opens the chain's current file and skips what a previous attempt already emitted. */
    private void openFile(long skip) {
        String file = currentPath();
        emitted = 0;
        try {
            CaptureReader reader = openCapture(file);
            current =
                    new CaptureEventReader(
                            reader,
                            assembler,
                            settings.counterReportsMs > 0 ? settings.agentId : null,
                            settings.counterReportsMs * 1_000_000L,
                            settings.coalescePackets > 1
                                    ? new EventCoalescer(
                                            settings.coalescePackets, settings.coalesceDelayNs)
                                    : null);
            for (long i = 0; i < skip; i++) {
                if (current.next() == null) {
                    break;
                }
                emitted++;
            }
            LOG.info("Reading {} (from event {})", file, skip);
        } catch (IOException e) {
            reportError(
                    e instanceof CaptureFormatException
                            ? e.getMessage()
                            : file + ": cannot read: " + e.getMessage());
            closeFile();
        }
    }

    /** A local file is read through memory mapped from it, one copy less than a stream. */
    private CaptureReader openCapture(String file) throws IOException {
        Path path = new Path(file);
        String interfaceName = currentSplit.interfaces().get(fileIndex);
        FileSystem fs = path.getFileSystem();
        // Task threads get the local file system behind Flink's safety net, not itself.
        if ("file".equals(fs.getUri().getScheme())) {
            return CaptureReader.open(
                    LocalFileSystem.getSharedInstance().pathToFile(path).toPath(),
                    file,
                    interfaceName,
                    settings.interfacePerFile);
        }
        InputStream in = fs.open(path);
        try {
            return CaptureReader.open(in, file, interfaceName, settings.interfacePerFile);
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    private void closeFile() {
        if (current == null) {
            return;
        }
        current.counters().addTo(finished);
        try {
            current.close();
        } catch (IOException e) {
            LOG.warn("Closing {} failed", currentPath(), e);
        }
        LOG.info("Finished {} after {} events", currentPath(), emitted);
        current = null;
    }

    private void nextFileOrFinish(ReaderOutput<PacketEvent> output) {
        if (fileIndex + 1 < currentSplit.paths().size()) {
            fileIndex++;
            openFile(0);
            return;
        }
        output.releaseOutputForSplit(currentSplit.splitId());
        currentSplit = null;
        currentOutput = null;
        assembler = null;
        if (splits.isEmpty()) {
            requestSplit();
        }
    }

    private String currentPath() {
        return currentSplit.paths().get(fileIndex);
    }

    private synchronized void reportError(String message) {
        LOG.error("Capture file error: {}", message);
        errors.add(message);
    }

    @Override
    public List<PcapSplit> snapshotState(long checkpointId) {
        List<PcapSplit> state = new ArrayList<>(splits.size() + 1);
        if (currentSplit != null) {
            // Between two files of a chain, "current" is null and the next file starts at 0.
            state.add(
                    current != null
                            ? currentSplit.at(fileIndex, emitted)
                            : currentSplit.at(fileIndex + 1, 0));
        }
        state.addAll(splits);
        return state;
    }

    @Override
    public CompletableFuture<Void> isAvailable() {
        return available;
    }

    @Override
    public void addSplits(List<PcapSplit> newSplits) {
        splits.addAll(newSplits);
        splitRequested = false;
        available.complete(null);
    }

    @Override
    public void notifyNoMoreSplits() {
        noMoreSplits = true;
        available.complete(null);
    }

    @Override
    public void close() throws Exception {
        if (current != null) {
            current.close();
        }
    }
}
