package io.flowtap.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The jars a job submitted to a session cluster needs: those of this process's class path that a
 * Flink distribution does not already have. Flink's own modules, its logging and Scala stay on the
 * cluster; Flowtap's modules and their dependencies (the Kafka connector and client, Avro, Parquet,
 * ...) are shipped with the job.
 */
final class JobJars {
    /** Overrides the class path to take the jars from (a packager's or a test's list). */
    static final String PROPERTY = "flowtap.job.classpath";

    /** Flink modules that are not part of a Flink distribution, so the job brings them. */
    private static final Set<String> SHIPPED_FLINK_MODULES =
            Set.of("flink-connector-kafka", "flink-avro");

    private JobJars() {}

    static List<String> ofThisProcess() {
        String classpath = System.getProperty(PROPERTY, System.getProperty("java.class.path"));
        List<String> jars = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            String name = new File(entry).getName();
            if (name.endsWith(".jar") && shipped(name)) {
                jars.add(new File(entry).getAbsolutePath());
            }
        }
        return jars;
    }

    static boolean shipped(String jarName) {
        if (jarName.startsWith("flink-")) {
            for (String module : SHIPPED_FLINK_MODULES) {
                if (jarName.startsWith(module + "-")) {
                    return true;
                }
            }
            return false;
        }
        return !(jarName.startsWith("log4j-")
                || jarName.startsWith("slf4j-")
                || jarName.startsWith("scala-"));
    }
}
