package io.flowtap.capture.agent;

import io.flowtap.capture.file.Frame;

import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapAddress;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import org.pcap4j.core.Pcaps;
import org.pcap4j.util.LinkLayerAddress;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Live capture on one interface through libpcap (pcap4j): raw frames only; decoding is Flowtap's
 * own. The handle is non-blocking in immediate mode: a blocking read with a timeout can wait
 * forever on Linux when no packet passes the filter, and then {@link #stop()} would never take
 * effect. When nothing is waiting the reader sleeps {@value #IDLE_SLEEP_MS} ms.
 */
public final class LiveSource implements CaptureSource {
    private static final int READ_TIMEOUT_MS = 100;
    private static final long IDLE_SLEEP_MS = 1;
    private static final int BUFFER_BYTES = 16 << 20;

    private final String name;
    private final PcapHandle handle;
    private final int linkType;
    private final String mac;
    private final List<String> addresses;
    private volatile boolean stopped;
    private LongConsumer idleTask = now -> {};
    private volatile long dropped;
    private volatile long droppedByInterface;

    /**
     * Opens the interface.
     *
     * @param bpf a BPF filter expression, or null
     * @throws IOException naming the interface and what libpcap said (no such device, no permission
     *     to capture)
     */
    public LiveSource(String interfaceName, int snapLength, boolean promiscuous, String bpf)
            throws IOException {
        LibPcap.locate();
        this.name = interfaceName;
        try {
            PcapNetworkInterface nif = Pcaps.getDevByName(interfaceName);
            if (nif == null) {
                throw new IOException("no capture interface named '" + interfaceName + "'");
            }
            this.mac = macOf(nif);
            this.addresses = addressesOf(nif);
            handle =
                    new PcapHandle.Builder(interfaceName)
                            .snaplen(snapLength)
                            .promiscuousMode(
                                    promiscuous
                                            ? PcapNetworkInterface.PromiscuousMode.PROMISCUOUS
                                            : PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                            .timeoutMillis(READ_TIMEOUT_MS)
                            .immediateMode(true)
                            .bufferSize(BUFFER_BYTES)
                            .timestampPrecision(PcapHandle.TimestampPrecision.NANO)
                            .build();
        } catch (PcapNativeException e) {
            throw new IOException(
                    "cannot capture on '" + interfaceName + "': " + e.getMessage(), e);
        }
        try {
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new IOException(
                    "cannot make capture on '" + interfaceName + "' non-blocking: " + e, e);
        }
        try {
            if (bpf != null && !bpf.isBlank()) {
                handle.setFilter(bpf, BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            linkType = handle.getDlt().value();
        } catch (PcapNativeException | NotOpenException e) {
            handle.close();
            throw new IOException(
                    "cannot set the filter '"
                            + bpf
                            + "' on '"
                            + interfaceName
                            + "': "
                            + e.getMessage(),
                    e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void whileIdle(LongConsumer task) {
        this.idleTask = task;
    }

    @Override
    public boolean next(Frame frame) throws IOException {
        try {
            while (!stopped) {
                byte[] data = handle.getNextRawPacket();
                if (data == null) {
                    idleTask.accept(System.currentTimeMillis() * 1_000_000L);
                    Thread.sleep(IDLE_SLEEP_MS);
                    continue;
                }
                Timestamp ts = handle.getTimestamp();
                frame.timestampNanos = ts.getTime() / 1000 * 1_000_000_000L + ts.getNanos();
                frame.data = data;
                frame.offset = 0;
                frame.capturedLength = data.length;
                Integer original = handle.getOriginalLength();
                frame.originalLength = original == null ? data.length : original;
                frame.linkType = linkType;
                frame.interfaceIndex = 0;
                frame.interfaceName = name;
                frame.fileOffset = 0;
                return true;
            }
            return false;
        } catch (NotOpenException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public boolean isLive() {
        return true;
    }

    @Override
    public void stop() {
        stopped = true;
    }

    /** Reads libpcap's counters; the agent calls this from its status thread. */
    public void refreshStats() {
        try {
            PcapStat s = handle.getStats();
            dropped = s.getNumPacketsDropped();
            droppedByInterface = s.getNumPacketsDroppedByIf();
        } catch (PcapNativeException | NotOpenException e) {
            // Closed or not supported on this link: keep the last values.
        }
    }

    /**
     * Dropped by libpcap for lack of buffer space plus dropped by the interface or its driver.
     * libpcap does not say how many packets the BPF filter removed, so {@code capture_filtered}
     * stays 0 for live capture.
     */
    @Override
    public long droppedByCapture() {
        return dropped + droppedByInterface;
    }

    @Override
    public String mac() {
        return mac;
    }

    @Override
    public List<String> addresses() {
        return addresses;
    }

    @Override
    public void close() {
        stopped = true;
        refreshStats();
        handle.close();
    }

    private static String macOf(PcapNetworkInterface nif) {
        for (LinkLayerAddress a : nif.getLinkLayerAddresses()) {
            byte[] b = a.getAddress();
            if (b.length == 6) {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < 6; i++) {
                    sb.append(i == 0 ? "" : ":").append(String.format("%02x", b[i] & 0xff));
                }
                return sb.toString();
            }
        }
        return "00:00:00:00:00:00";
    }

    private static List<String> addressesOf(PcapNetworkInterface nif) {
        List<String> out = new ArrayList<>();
        for (PcapAddress a : nif.getAddresses()) {
            if (a.getAddress() != null) {
                out.add(a.getAddress().getHostAddress().replaceAll("%.*$", ""));
            }
        }
        return out;
    }

    /** Points pcap4j at libpcap when only the versioned library is installed (no -dev package). */
    static final class LibPcap {
        private static final String PROPERTY = "org.pcap4j.core.pcapLibName";

        private LibPcap() {}

        static synchronized void locate() {
            if (System.getProperty(PROPERTY) != null) {
                return;
            }
            for (String dir :
                    new String[] {
                        "/usr/lib/x86_64-linux-gnu",
                        "/usr/lib/aarch64-linux-gnu",
                        "/usr/lib64",
                        "/usr/lib",
                        "/lib/x86_64-linux-gnu"
                    }) {
                for (String lib : new String[] {"libpcap.so", "libpcap.so.1", "libpcap.so.0.8"}) {
                    Path p = Path.of(dir, lib);
                    if (Files.exists(p)) {
                        System.setProperty(PROPERTY, p.toString());
                        return;
                    }
                }
            }
        }
    }
}
