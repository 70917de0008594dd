package io.flowtap.capture.agent;

import io.flowtap.capture.decode.DecodeResult;
import io.flowtap.capture.decode.DecodedPacket;
import io.flowtap.capture.decode.PacketDecoder;
import io.flowtap.capture.file.Frame;
import io.flowtap.capture.flow.EventCoalescer;
import io.flowtap.capture.flow.NetworkSet;
import io.flowtap.capture.flow.PacketEventAssembler;
import io.flowtap.capture.source.CounterReports;
import io.flowtap.schema.PacketEvent;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A capture agent: one thread per capture source decodes frames and assembles packet events into a
 * bounded queue; a publisher thread sends them to Kafka; a status thread publishes the agent's
 * telemetry every update interval. When Kafka cannot keep up with live capture, the queue fills and
 * further events are dropped and counted ({@code queue_dropped}), so capture never waits on Kafka;
 * a replay waits instead, unless Kafka refuses events altogether. When the sources end (a replay
 * reaches its end) or {@link #stop()} is called, the queue is drained, the producer flushed, and an
 * end-of-capture marker sent to every partition.
 */
public final class CaptureAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureAgent.class);
    private static final PacketEvent END = new PacketEvent();

    /** How long the publisher leaves the queue alone after Kafka refused an event. */
    private static final long PAUSE_NS = TimeUnit.SECONDS.toNanos(1);

    private final AgentSettings settings;
    private final List<CaptureSource> sources;
    private final List<InterfaceStats> interfaces = new ArrayList<>();
    private final List<PacketDecoder> decoders = new ArrayList<>();
    private final List<PacketEventAssembler> assemblers = new ArrayList<>();
    private final BlockingQueue<PacketEvent> queue;
    private final KafkaPublisher publisher;
    private final AgentTelemetry telemetry;
    private final List<Thread> captureThreads = new ArrayList<>();
    private final AtomicInteger running = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private Thread publisherThread;
    private Thread statusThread;
    private volatile boolean stopping;

    /** Set while Kafka refuses events (unreachable, or the producer's buffer is full). */
    private volatile boolean refusing;

    private volatile IOException captureError;

    /** Creates the agent; {@link #start()} starts it. The sources are closed with the agent. */
    public CaptureAgent(AgentSettings settings, List<CaptureSource> sources) {
        this.settings = settings;
        this.sources = List.copyOf(sources);
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity);
        this.publisher = new KafkaPublisher(settings);
        this.telemetry = new AgentTelemetry(settings);
        List<String> networks =
                settings.localNetworks.isEmpty() && settings.interfaceRole.equals("lan")
                        ? NetworkSet.RESERVED
                        : settings.localNetworks;
        for (CaptureSource s : this.sources) {
            PacketDecoder decoder = new PacketDecoder();
            interfaces.add(new InterfaceStats(s.name(), s, decoder.counters()));
            PacketEventAssembler a =
                    new PacketEventAssembler(
                            settings.agentId, settings.payloadPackets, settings.flowTableSize);
            a.describeInterface(settings.interfaceRole, networks);
            assemblers.add(a);
            decoders.add(decoder);
        }
    }

    /** Opens the sources for the settings: the replay file, or each live interface. */
    public static List<CaptureSource> sourcesFor(AgentSettings settings) throws IOException {
        List<CaptureSource> out = new ArrayList<>();
        try {
            if (settings.replayFile != null) {
                ReplaySource.Options o = ReplaySource.Options.at(settings.replaySpeed);
                o.loops = settings.replayLoops;
                o.rebase = settings.replayRebase;
                out.add(new ReplaySource(settings.replayFile, settings.replayInterface, o));
            }
            for (String itf : settings.interfaces) {
                out.add(
                        new LiveSource(
                                itf,
                                settings.snapLength,
                                settings.promiscuous,
                                settings.bpfFilter));
            }
            return out;
        } catch (IOException | RuntimeException e) {
            for (CaptureSource s : out) {
                s.close();
            }
            throw e;
        }
    }

    public void start() {
        publisher.sendStatus(telemetry.hello(interfaces));
        publisher.sendStatus(telemetry.interfaces(interfaces));
        publisherThread = new Thread(this::publish, "flowtap-agent-publisher");
        publisherThread.start();
        running.set(sources.size());
        for (int i = 0; i < sources.size(); i++) {
            int index = i;
            Thread t =
                    new Thread(
                            () -> capture(index), "flowtap-agent-capture-" + sources.get(i).name());
            captureThreads.add(t);
            t.start();
        }
        statusThread = new Thread(this::reportStatus, "flowtap-agent-status");
        statusThread.setDaemon(true);
        statusThread.start();
        Thread finisher = new Thread(this::finishWhenCaptureEnds, "flowtap-agent-finish");
        finisher.start();
    }

    private void capture(int index) {
        CaptureSource source = sources.get(index);
        InterfaceStats stats = interfaces.get(index);
        PacketDecoder decoder = decoders.get(index);
        PacketEventAssembler assembler = assemblers.get(index);
        Frame frame = new Frame();
        DecodedPacket packet = new DecodedPacket();
        CounterReports reports =
                new CounterReports(
                                settings.agentId,
                                settings.updateInterval.toNanos(),
                                decoder.counters(),
                                assembler)
                        .drops(
                                source::droppedByCapture,
                                source::filteredByCapture,
                                stats.queueDropped::get);
        EventCoalescer coalescer =
                settings.coalescePackets > 1
                        ? new EventCoalescer(
                                settings.coalescePackets, settings.coalesceDelay.toNanos())
                        : null;
        if (coalescer != null) {
            // A quiet link (or a paced replay's gap) lets go what the next packet would have.
            source.whileIdle(
                    now -> {
                        coalescer.expire(now);
                        keepingInterrupts(() -> drain(coalescer, source, stats));
                    });
        }
        try {
            while (source.next(frame)) {
                PacketEvent report =
                        reports.frame(stats.name, frame.timestampNanos, frame.originalLength);
                if (report != null) {
                    stats.reports++;
                    // What the coalescer holds goes first, as its packets came first.
                    flush(coalescer, source, stats);
                    send(report, source, stats);
                }
                if (decoder.decode(frame, packet) != DecodeResult.OK) {
                    continue;
                }
                stats.lastPacketNs = packet.timestampNanos;
                if (coalescer == null) {
                    send(
                            assembler.assemble(packet, frame.interfaceName, frame.data),
                            source,
                            stats);
                } else {
                    assembler.assemble(packet, frame.interfaceName, frame.data, coalescer);
                    drain(coalescer, source, stats);
                }
                stats.tcpSeqErrors = assembler.tcpSeqErrors();
            }
            flush(coalescer, source, stats);
            PacketEvent report = reports.flush();
            if (report != null) {
                stats.reports++;
                send(report, source, stats);
            }
        } catch (IOException e) {
            captureError = e;
            LOG.error("Capture on {} failed: {}", source.name(), e.getMessage());
            // The events before the error still go (unless the agent is stopping).
            keepingInterrupts(() -> flush(coalescer, source, stats));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            running.decrementAndGet();
        }
    }

    /** Sends what the coalescer let go. */
    private void drain(EventCoalescer coalescer, CaptureSource source, InterfaceStats stats)
            throws InterruptedException {
        for (PacketEvent e = coalescer.poll(); e != null; e = coalescer.poll()) {
            send(e, source, stats);
        }
    }

    /** Sends every event the coalescer holds, if there is one. */
    private void flush(EventCoalescer coalescer, CaptureSource source, InterfaceStats stats)
            throws InterruptedException {
        if (coalescer != null) {
            coalescer.flush();
            drain(coalescer, source, stats);
        }
    }

    /** Work that may wait on the queue, where an interruption can only be passed on as a flag. */
    @FunctionalInterface
    private interface Interruptible {
        void run() throws InterruptedException;
    }

    private static void keepingInterrupts(Interruptible work) {
        try {
            work.run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void send(PacketEvent e, CaptureSource source, InterfaceStats stats)
            throws InterruptedException {
        stats.events++;
        if (!enqueue(e, source.isLive())) {
            stats.queueDropped.incrementAndGet();
        }
    }

    /**
     * Queues an event for the publisher. A live source never waits; a replay waits for room while
     * Kafka accepts events, so that a replay as fast as possible is paced by Kafka instead of
     * dropping, and stops waiting (drops and counts) while Kafka refuses them.
     */
    private boolean enqueue(PacketEvent e, boolean live) throws InterruptedException {
        if (live) {
            return queue.offer(e);
        }
        while (!queue.offer(e, 100, TimeUnit.MILLISECONDS)) {
            if (refusing || stopping) {
                return false;
            }
        }
        return true;
    }

    /**
     * Hands queued events to the producer. When the producer refuses one (Kafka out of reach, its
     * buffer full), it pauses, leaving events in the queue, so that the capture threads drop and
     * count what does not fit instead of the publisher waiting on every event. When stopping while
     * Kafka is still out of reach, what is left is counted as failed.
     */
    private void publish() {
        long pausedUntil = 0;
        try {
            while (true) {
                if (System.nanoTime() < pausedUntil) {
                    if (stopping) {
                        countRemainingAsFailed();
                        return;
                    }
                    Thread.sleep(50);
                    continue;
                }
                PacketEvent e = queue.poll(200, TimeUnit.MILLISECONDS);
                if (e == null) {
                    continue;
                }
                if (e == END) {
                    return;
                }
                try {
                    refusing = !publisher.send(e);
                    if (refusing) {
                        pausedUntil = System.nanoTime() + PAUSE_NS;
                    }
                } catch (IOException ex) {
                    LOG.warn("Cannot encode an event: {}", ex.toString());
                }
            }
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void countRemainingAsFailed() throws InterruptedException {
        while (true) {
            PacketEvent e = queue.take();
            if (e == END) {
                return;
            }
            publisher.countUndelivered();
        }
    }

    private void reportStatus() {
        long intervalMs = settings.updateInterval.toMillis();
        try {
            while (!stopping) {
                Thread.sleep(intervalMs);
                publishStatus();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void publishStatus() {
        for (CaptureSource s : sources) {
            if (s instanceof LiveSource live) {
                live.refreshStats();
            }
        }
        int flows = 0;
        for (PacketEventAssembler a : assemblers) {
            flows += a.flowsInTable();
        }
        publisher.sendStatus(telemetry.status(flows));
        publisher.sendStatus(telemetry.interfaceStats(interfaces));
        publisher.sendStatus(telemetry.globalStats(interfaces));
    }

    /** Waits until every source has ended, then finishes the agent. */
    private void finishWhenCaptureEnds() {
        for (Thread t : captureThreads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        finish();
    }

    private synchronized void finish() {
        if (finished.getCount() == 0) {
            return;
        }
        stopping = true;
        try {
            queue.put(END);
            publisherThread.join();
            publisher.flush();
            for (InterfaceStats s : interfaces) {
                long last = s.lastPacketNs == Long.MIN_VALUE ? 0 : s.lastPacketNs;
                try {
                    publisher.sendEndOfCapture(s.name, last);
                } catch (IOException | RuntimeException e) {
                    LOG.error(
                            "Cannot send the end-of-capture marker of {}: {}",
                            s.name,
                            e.toString());
                }
            }
            publishStatus();
            publisher.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            finished.countDown();
        }
    }

    /** Stops capturing; returns when the agent has finished sending. */
    public void stop() throws InterruptedException {
        for (CaptureSource s : sources) {
            s.stop();
        }
        awaitFinished();
    }

    /** Waits until the agent has finished: its sources ended and everything was sent. */
    public void awaitFinished() throws InterruptedException {
        finished.await();
    }

    public boolean awaitFinished(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    /** A snapshot of the agent's counters. */
    public Counters counters() {
        Counters c = new Counters();
        for (InterfaceStats s : interfaces) {
            c.frames += s.decoder.raw;
            c.events += s.events;
            c.reports += s.reports;
            c.discarded += s.decoder.discarded;
            c.queueDropped += s.queueDropped.get();
            c.captureDropped += s.source.droppedByCapture();
        }
        c.sent = publisher.sent.get();
        c.sendFailed = publisher.sendFailed.get();
        c.otherFailed = publisher.otherFailed.get();
        c.lastSendError = publisher.lastError();
        return c;
    }

    /** The error that ended a source early, or null. */
    public IOException captureError() {
        return captureError;
    }

    @Override
    public void close() {
        try {
            if (publisherThread != null) {
                stop();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            publisher.close();
            for (CaptureSource s : sources) {
                try {
                    s.close();
                } catch (IOException e) {
                    LOG.warn("Closing {}: {}", s.name(), e.toString());
                }
            }
        }
    }

    /** What the agent has done so far. */
    public static final class Counters {
        public long frames;

        /**
         * Events made from the frames, packet events and counter reports: each is sent, fails, or
         * is dropped.
         */
        public long events;

        /** Counter reports among the events: one per interface and update interval with frames. */
        public long reports;

        public long discarded;
        public long queueDropped;
        public long captureDropped;
        public long sent;
        public long sendFailed;

        /** End-of-capture markers and status records that could not be sent. */
        public long otherFailed;

        public String lastSendError;

        @Override
        public String toString() {
            return String.format(
                    "%,d frames, %,d discarded, %,d events sent, %,d failed to send, "
                            + "%,d dropped (queue full), %,d dropped by capture",
                    frames, discarded, sent, sendFailed, queueDropped, captureDropped);
        }
    }
}
