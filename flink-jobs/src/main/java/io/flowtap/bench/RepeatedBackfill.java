package io.flowtap.bench;

import io.flowtap.cli.Flowtap;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * The same backfill run several times in one JVM, with the CPU each run costs: the first run pays
 * for starting the JVM's code (class loading, compiling the start-up code and then the hot code,
 * the embedded cluster's first start), the later ones show what the pipeline costs once its code is
 * compiled. The difference is what a cold {@code bin/flowtap backfill} spends on the JVM.
 *
 * <p>Each run's CPU is split by thread, from {@code /proc/self/task}: the JIT compiler threads and
 * the collector's threads live as long as the process, so their CPU in a run is the difference of
 * their times at its ends; the rest (the job's task thread, the embedded cluster, the main thread)
 * is what remains of the process's CPU. Linux only for the split; elsewhere the total alone.
 * Between runs the heap is collected in full, outside the figures, so that what a run leaves in the
 * old generation does not burden the next one's collections.
 *
 * <p>Arguments: a {@code flowtap backfill} command line; {@code FLOWTAP_RUNS} (default 5) how many
 * times to run it. Run {@code i} writes under {@code <--out>/run-i}. Prints a Markdown table.
 */
public final class RepeatedBackfill {
    private RepeatedBackfill() {}

    /**
     * One run's CPU seconds: the whole process's, and of them the JIT compiler threads' and the
     * collector's ({@link Double#NaN} where threads cannot be told apart).
     */
    public record RunCost(double cpu, double compilers, double collector) {
        /** What neither the compilers nor the collector spent: task, cluster and main threads. */
        public double rest() {
            return cpu - compilers - collector;
        }
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(System.getenv().getOrDefault("FLOWTAP_RUNS", "5"));
        System.out.println("| run | CPU s | JIT compilers | collector | task, cluster and main |");
        System.out.println("|---|---|---|---|---|");
        try {
            run(List.of(args), runs, RepeatedBackfill::print);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (IllegalStateException e) {
            System.err.println(e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    /**
     * Runs a {@code flowtap backfill} command line {@code runs} times in this JVM, run {@code i}
     * (from 1) writing under {@code <--out>/run-i}, and hands each run's number and cost to {@code
     * onRun} as it ends.
     *
     * @throws IllegalArgumentException if the command is not a backfill with {@code --out}
     * @throws IllegalStateException if a run fails (its error is on standard error)
     */
    public static List<RunCost> run(
            List<String> command, int runs, BiConsumer<Integer, RunCost> onRun) {
        int outAt = command.indexOf("--out");
        if (command.isEmpty()
                || !command.get(0).equals("backfill")
                || outAt < 0
                || outAt + 1 >= command.size()
                || runs < 1) {
            throw new IllegalArgumentException(
                    "usage: FLOWTAP_RUNS=N RepeatedBackfill backfill --out DIR [options...]");
        }
        Path out = Paths.get(command.get(outAt + 1));
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean();
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        List<RunCost> costs = new ArrayList<>();
        ThreadTimes before = ThreadTimes.now();
        long cpuBefore = os.getProcessCpuTime();
        for (int run = 1; run <= runs; run++) {
            List<String> argv = new ArrayList<>(command);
            argv.set(outAt + 1, out.resolve("run-" + run).toString());
            int code = Flowtap.run(argv, quiet, System.err);
            if (code != 0) {
                throw new IllegalStateException("run " + run + " failed with exit code " + code);
            }
            long cpuAfter = os.getProcessCpuTime();
            ThreadTimes after = ThreadTimes.now();
            double cpu = (cpuAfter - cpuBefore) / 1e9;
            RunCost cost =
                    after != null && before != null
                            ? new RunCost(
                                    cpu,
                                    after.compiler() - before.compiler(),
                                    after.collector() - before.collector())
                            : new RunCost(cpu, Double.NaN, Double.NaN);
            costs.add(cost);
            onRun.accept(run, cost);
            // What the run left in the old generation is collected outside the next run's
            // figures, so that each run starts from the same heap as the first.
            System.gc();
            cpuBefore = os.getProcessCpuTime();
            before = ThreadTimes.now();
        }
        return costs;
    }

    private static void print(int run, RunCost c) {
        if (Double.isNaN(c.compilers())) {
            System.out.printf(Locale.ROOT, "| %d | %.2f | | | |%n", run, c.cpu());
        } else {
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %.2f | %.2f | %.2f | %.2f |%n",
                    run,
                    c.cpu(),
                    c.compilers(),
                    c.collector(),
                    c.rest());
        }
        System.out.flush();
    }

    /** CPU seconds so far of the JIT compiler threads and the collector's threads. */
    private record ThreadTimes(double compiler, double collector) {
        /** The times now, or null where {@code /proc/self/task} cannot be read. */
        static ThreadTimes now() {
            Path tasks = Paths.get("/proc/self/task");
            if (!Files.isDirectory(tasks)) {
                return null;
            }
            double ticks = 100; // USER_HZ: 100 on every Linux the JVM runs on
            double compiler = 0;
            double collector = 0;
            try (var dirs = Files.list(tasks)) {
                for (Path task : (Iterable<Path>) dirs::iterator) {
                    String stat;
                    try {
                        stat = Files.readString(task.resolve("stat"));
                    } catch (IOException e) {
                        continue; // the thread ended
                    }
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // Fields 14 and 15 of proc(5), utime and stime: 11 and 12 after the name.
                    double cpu = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / ticks;
                    if (name.contains("CompilerThre")) {
                        compiler += cpu;
                    } else if (name.startsWith("GC Thread") || name.startsWith("G1 ")) {
                        collector += cpu;
                    }
                }
            } catch (IOException e) {
                return null;
            }
            return new ThreadTimes(compiler, collector);
        }
    }
}
