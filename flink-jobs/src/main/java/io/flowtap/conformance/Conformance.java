package io.flowtap.conformance;

import io.flowtap.connectors.log.NetifyLogSink;
import io.flowtap.connectors.pcap.PcapSource;
import io.flowtap.job.BackfillJob;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs the backfill job over a directory of third-party captures with their tools' results (nDPI's
 * regression pcaps with {@code .out} files in {@code ndpi/}, netifyd's logs in {@code
 * netifyd-v4-logs/}, suricata-verify tests in {@code suricata-verify/}) and compares.
 */
public final class Conformance {
    private static final Pattern YAML_VALUE =
            Pattern.compile(
                    "^\\s*(tls\\.sni|tls\\.ja4|quic\\.ja4|quic\\.sni):\\s*\"?([^\"]+)\"?\\s*$");
    private static final Pattern QUIC_SNI =
            Pattern.compile("^\\s*quic\\.extensions\\[(\\d+)\\]\\.name:\\s*\"?server_name\"?\\s*$");

    private Conformance() {}

    /** Runs the job and returns the comparison. */
    public static ConformanceReport run(Path captures, Path work, StreamExecutionEnvironment env)
            throws Exception {
        Path log = work.resolve("log");
        BackfillJob.builder()
                .source(
                        PcapSource.builder()
                                .addPaths(List.of(captures))
                                .setAgentId("conformance")
                                .setInterfacePerFile(true)
                                .setFilesInParallel(true)
                                .build())
                .telemetrySink(
                        "flows",
                        NetifyLogSink.builder()
                                .setLogPath(log.toString())
                                .setLogName("conformance")
                                .setOverwrite(true)
                                .build())
                .build()
                .execute(env);
        return compare(captures, log);
    }

    static ConformanceReport compare(Path captures, Path log) throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        List<JsonNode> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(log)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                for (String line : Files.readAllLines(f)) {
                    records.add(mapper.readTree(line));
                }
            }
        }
        Map<String, Actual> actuals = ConformanceReport.actuals(records);
        ConformanceReport report = new ConformanceReport();
        Path ndpi = captures.resolve("ndpi");
        Path logs = captures.resolve("netifyd-v4-logs");
        if (Files.isDirectory(ndpi)) {
            try (Stream<Path> s = Files.list(ndpi)) {
                for (Path pcap : s.filter(Conformance::isCapture).sorted().toList()) {
                    String capture = captures.relativize(pcap).toString();
                    Path out = pcap.resolveSibling(pcap.getFileName() + ".out");
                    Set<String> present = new HashSet<>();
                    if (Files.exists(out)) {
                        List<Expected> ndpiFlows = NdpiResults.read(out, capture);
                        for (Expected e : ndpiFlows) {
                            present.add(ConformanceReport.endpoints(e));
                        }
                        report.compare(ndpiFlows, actuals);
                    }
                    String stem = pcap.getFileName().toString().replaceAll("\\.pcap(ng)?$", "");
                    Path netifyd = logs.resolve(stem + ".log");
                    if (Files.exists(netifyd)) {
                        // netifyd's logs may be of another version of the capture: only flows
                        // that ndpiReader also saw in this one are compared.
                        report.compare(NetifydLogs.read(netifyd, capture), actuals, present);
                    }
                }
            }
        }
        Path verify = captures.resolve("suricata-verify");
        if (Files.isDirectory(verify)) {
            try (Stream<Path> s = Files.list(verify)) {
                for (Path test : s.filter(Files::isDirectory).sorted().toList()) {
                    suricataVerify(captures, test, actuals, report);
                }
            }
        }
        return report;
    }

    private static void suricataVerify(
            Path captures, Path test, Map<String, Actual> actuals, ConformanceReport report)
            throws IOException {
        Path yaml = test.resolve("test.yaml");
        if (!Files.exists(yaml)) {
            return;
        }
        String capture;
        try (Stream<Path> s = Files.list(test)) {
            capture =
                    s.filter(Conformance::isCapture)
                            .findFirst()
                            .map(p -> captures.relativize(p).toString())
                            .orElse(null);
        }
        if (capture == null) {
            return;
        }
        List<String> lines = Files.readAllLines(yaml);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = YAML_VALUE.matcher(lines.get(i));
            if (m.matches()) {
                report.compareAny(capture, m.group(1), m.group(2).trim(), actuals);
            }
            Matcher q = QUIC_SNI.matcher(lines.get(i));
            if (q.matches() && i + 1 < lines.size()) {
                Matcher v =
                        Pattern.compile("values\\[0\\]:\\s*\"?([^\"]+)\"?")
                                .matcher(lines.get(i + 1));
                if (v.find()) {
                    report.compareAny(capture, "quic.sni", v.group(1).trim(), actuals);
                }
            }
        }
    }

    private static boolean isCapture(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".pcap") || n.endsWith(".pcapng");
    }

    /** A local environment with the settings the command line uses. */
    public static StreamExecutionEnvironment localEnvironment(int parallelism) {
        Configuration c = new Configuration();
        c.set(PipelineOptions.GENERIC_TYPES, false);
        return StreamExecutionEnvironment.createLocalEnvironment(parallelism, c);
    }
}
