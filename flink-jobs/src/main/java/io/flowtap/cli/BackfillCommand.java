package io.flowtap.cli;

import io.flowtap.capture.flow.NetworkSet;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.job.BackfillJob;
import io.flowtap.job.FlowPipeline;
import io.flowtap.rpc.InProcessRpcOptions;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** {@code flowtap backfill}: pcap files through the flow pipeline on an embedded Flink cluster. */
final class BackfillCommand {
    static final String HELP =
            String.join(
                    "\n",
                    "usage: flowtap backfill --pcap <file-or-dir> [--pcap ...] --out <dir>"
                            + " [options]",
                    "",
                    "Reads pcap/pcapng files (directories are searched for .pcap, .pcapng, .cap)",
                    "and writes Netify-style flow telemetry: JSON lines under <dir>/log/ and a",
                    "Parquet dataset under <dir>/parquet/flows/dt=<date>/hour=<hour>/.",
                    "",
                    "options:",
                    "  --pcap <path>            capture file or directory (repeatable, required)",
                    "  --out <dir>              output directory (required)",
                    "  --parallelism <n>        Flink parallelism (default: 1, the flow tracker",
                    "                           in the reader's task; with --parallel-files,",
                    "                           the number of cores)",
                    "  --agent-id <id>          agent id of this backfill (default: backfill)",
                    "  --interface <name>       interface name for files that record none",
                    "                           (default: pcap)",
                    "  --interface-role <role>  lan or wan (default: lan)",
                    "  --local-network <cidr>   local network (repeatable; default for lan:",
                    "                           " + String.join(" ", NetworkSet.RESERVED) + ")",
                    "  --config <dir>           Netify plugin files and flowtap.json: where each",
                    "                           kind of record goes, TTLs, interfaces",
                    "                           (docs/configuration.md); replaces the log file",
                    "                           under <dir>/log/",
                    "  --applications <file>    application catalog to name flows from instead",
                    "                           of the bundled one (docs/applications.md)",
                    "  --parallel-files         read files in parallel, one per reader (only for",
                    "                           captures that share no flows; by default files are",
                    "                           read one after the other in time order)",
                    "  --coalesce-packets <n>   packets of a flow joined into one event at most",
                    "                           (default: 64; 1: an event per packet)",
                    "  --checkpoint-interval <ms>",
                    "                           how often Parquet files are committed while the",
                    "                           run goes (default: 60000)",
                    "  --state-backend <name>   where the flow table lives: heap (default) or",
                    "                           rocksdb (on local disk, for flow tables larger",
                    "                           than the heap; slower)",
                    "  --quiet                  no progress lines, only the summary",
                    "  --help                   this help");

    private static final Set<String> WITH_VALUE =
            Set.of(
                    "--pcap",
                    "--out",
                    "--config",
                    "--parallelism",
                    "--agent-id",
                    "--interface",
                    "--interface-role",
                    "--local-network",
                    "--applications",
                    "--checkpoint-interval",
                    "--coalesce-packets",
                    "--state-backend");
    private static final Set<String> FLAGS = Set.of("--quiet", "--help", "--parallel-files");

    private final PrintStream out;
    private final PrintStream err;

    BackfillCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) {
        Args args;
        BackfillJob job;
        java.nio.file.Path outDir;
        int parallelism;
        int checkpointMs;
        String stateBackend;
        List<String> files;
        try {
            args = Args.parse(argv, WITH_VALUE, FLAGS);
            if (args.flag("--help")) {
                out.println(HELP);
                return Flowtap.EXIT_OK;
            }
            List<String> pcaps = args.all("--pcap");
            if (pcaps.isEmpty()) {
                throw new UsageException("missing required option --pcap");
            }
            outDir = Paths.get(args.required("--out"));
            // Files read one after the other have one reader: a second tracker instance would only
            // add a keyBy between them (more CPU and no faster, docs/performance.md).
            parallelism =
                    args.positiveInt(
                            "--parallelism",
                            args.flag("--parallel-files")
                                    ? Runtime.getRuntime().availableProcessors()
                                    : 1);
            // A checkpoint copies the whole flow table and rolls every Parquet part file: once a
            // minute keeps files large and costs a backfill little (docs/performance.md).
            checkpointMs = args.positiveInt("--checkpoint-interval", 60_000);
            stateBackend = stateBackend(args.one("--state-backend", "heap"));
            JobOptions.Run run = JobOptions.run(args, outDir, err, "backfill");
            List<java.nio.file.Path> inputs = new ArrayList<>();
            for (String p : pcaps) {
                inputs.add(Paths.get(p));
            }
            PcapSource source;
            try {
                source =
                        PcapSource.builder()
                                .addPaths(inputs)
                                .setAgentId(args.one("--agent-id", "backfill"))
                                .setDefaultInterface(args.one("--interface", "pcap"))
                                .setFilesInParallel(args.flag("--parallel-files"))
                                .setCoalescing(
                                        args.positiveInt(
                                                "--coalesce-packets",
                                                PcapSource.DEFAULT_COALESCE_PACKETS),
                                        PcapSource.DEFAULT_COALESCE_DELAY)
                                .setPayloadPackets(run.settings().maxDetectionPackets())
                                .setCounterReports(
                                        wantsInterfaceStats(run)
                                                ? run.settings().updateIntervalMs()
                                                : 0)
                                .build();
            } catch (NoSuchFileException e) {
                throw new UsageException(e.getFile() + ": no such file or directory");
            } catch (IOException e) {
                throw new UsageException(e.getMessage());
            }
            files = source.files();
            BackfillJob.Builder b =
                    BackfillJob.builder()
                            .source(source)
                            .settings(run.settings())
                            .flowRowSink(run.flowRowSink(outDir))
                            .aggregators(run.aggregators())
                            .aggregateRowSink(run.aggregateRowSink(outDir))
                            .intelRowSink(run.intelRowSink(outDir))
                            // RocksDB holds flows only as keyed state: no table of the tracker's.
                            .flowTable(stateBackend.equals("hashmap"));
            run.channels().forEach(b::telemetryChannel);
            job = b.build();
        } catch (UsageException | IllegalArgumentException e) {
            err.println("flowtap backfill: " + e.getMessage());
            return Flowtap.EXIT_USAGE;
        }

        String runId = UUID.randomUUID().toString();
        Configuration conf = clusterConfig(runId, !args.flag("--quiet"));
        // Checkpoints commit the Parquet files as the run goes. They go to files: kept in the
        // job manager's memory (Flink's default), a flow table over 5 MB would fail them all.
        java.nio.file.Path checkpoints;
        try {
            checkpoints = Files.createTempDirectory("flowtap-backfill-checkpoints");
        } catch (IOException e) {
            err.println("flowtap backfill: cannot make a checkpoint directory: " + e.getMessage());
            return Flowtap.EXIT_FAILED;
        }
        checkpointing(conf, checkpoints, checkpointMs, stateBackend);
        backfillCluster(conf, parallelism);
        StreamExecutionEnvironment env =
                StreamExecutionEnvironment.createLocalEnvironment(parallelism, conf);
        long start = System.nanoTime();
        try {
            job.execute(env);
        } catch (Exception e) {
            err.println("flowtap backfill: job failed: " + rootMessage(e));
            return Flowtap.EXIT_FAILED;
        } finally {
            TempDirs.deleteTree(checkpoints);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return summarize(runId, files, outDir, seconds);
    }

    private int summarize(String runId, List<String> files, java.nio.file.Path outDir, double s) {
        ProgressReporter reporter = ProgressReporter.forRun(runId);
        if (reporter == null) {
            err.println("flowtap backfill: done in " + String.format(Locale.ROOT, "%.1f s", s));
            return Flowtap.EXIT_OK;
        }
        try {
            reporter.awaitClosed(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Map<String, Long> t = reporter.totals();
        List<String> errors = reporter.fileErrors();
        reporter.forget();
        long frames = t.getOrDefault(Metrics.FRAMES, 0L);
        err.printf(
                Locale.ROOT,
                "flowtap backfill: %d file(s), %,d packets (%,d bytes), %,d flows, "
                        + "%,d not IP, %,d discarded, in %.1f s (%,.0f packets/s)%n",
                files.size(),
                frames,
                t.getOrDefault(Metrics.WIRE_BYTES, 0L),
                t.getOrDefault(Metrics.PURGED, 0L),
                t.getOrDefault(Metrics.NOT_IP, 0L),
                t.getOrDefault(Metrics.DISCARDED, 0L),
                s,
                s > 0 ? frames / s : 0.0);
        err.println("flowtap backfill: output in " + outDir.toAbsolutePath());
        if (!errors.isEmpty()) {
            for (String e : errors) {
                err.println("flowtap backfill: error: " + e);
            }
            return Flowtap.EXIT_FAILED;
        }
        return Flowtap.EXIT_OK;
    }

    /** Flink's name of the state backend an option value names. */
    private static String stateBackend(String name) throws UsageException {
        return switch (name) {
            case "heap" -> "hashmap";
            case "rocksdb" -> "rocksdb";
            default ->
                    throw new UsageException(
                            "--state-backend must be heap or rocksdb, not '" + name + "'");
        };
    }

    /**
     * Checkpoints of a backfill: every {@code intervalMs} into {@code dir}, the first one interval
     * after the start. Flink starts the first at a random time within the first interval (at least
     * the minimum pause after the start): a run of a few seconds would then copy its whole flow
     * table in one run out of a few.
     */
    static void checkpointing(
            Configuration conf, java.nio.file.Path dir, int intervalMs, String stateBackend) {
        conf.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, dir.toUri().toString());
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(intervalMs));
        conf.set(CheckpointingOptions.MIN_PAUSE_BETWEEN_CHECKPOINTS, Duration.ofMillis(intervalMs));
        conf.set(StateBackendOptions.STATE_BACKEND, stateBackend);
        if (stateBackend.equals("rocksdb")) {
            // Only what changed since the last checkpoint is copied, not the whole table.
            conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        }
    }

    /**
     * What a backfill's embedded cluster needs and the stream command's does not: it lives for one
     * run in one JVM with one task manager, so its components call each other in-process (no Pekko
     * actor system to start, docs/operations.md); at parallelism 1 the reader and the tracker share
     * a task and only the operators behind a {@code keyBy} (aggregators, indicator windows)
     * exchange records, each a few buffers, so 16 MB of network buffers do instead of the 64 MB
     * Flink allocates and zeroes at every start of a local cluster.
     */
    static void backfillCluster(Configuration conf, int parallelism) {
        conf.set(InProcessRpcOptions.IN_PROCESS, true);
        if (parallelism == 1) {
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, LOCAL_NETWORK_MEMORY);
            conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, LOCAL_NETWORK_MEMORY);
        }
    }

    private static final MemorySize LOCAL_NETWORK_MEMORY = MemorySize.ofMebiBytes(16);

    static Configuration clusterConfig(String runId, boolean progress) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        c.set(PipelineOptions.OBJECT_REUSE, true);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        c.setString("execution.checkpointing.interval", "10 s");
        c.setString(
                "metrics.reporter.flowtap.factory.class", ProgressReporterFactory.class.getName());
        c.setString("metrics.reporter.flowtap.interval", "2 s");
        c.setString("metrics.reporter.flowtap." + ProgressReporter.RUN_ID, runId);
        c.setString(
                "metrics.reporter.flowtap." + ProgressReporter.PRINT, Boolean.toString(progress));
        c.setString("rest.bind-address", "127.0.0.1");
        return c;
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    /** Whether a channel takes the statistics built from the decoder's counter reports. */
    private static boolean wantsInterfaceStats(JobOptions.Run run) {
        Set<String> s = FlowPipeline.statisticsFor(run.channels());
        return s.contains("interface_stats") || s.contains("global_stats");
    }
}
