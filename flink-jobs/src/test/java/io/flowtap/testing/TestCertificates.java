package io.flowtap.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away certificate authority and a server certificate it signed for {@code localhost} (DNS
 * name only, so that connecting to 127.0.0.1 fails hostname verification), made with the system's
 * openssl.
 */
public final class TestCertificates {
    public static final String PASSWORD = "changeit";
    private static final Path OPENSSL = Path.of("/usr/bin/openssl");

    public final Path caPem;
    public final Path serverPem;
    public final Path serverKey;
    public final Path serverP12;

    private TestCertificates(Path dir) {
        caPem = dir.resolve("ca.pem");
        serverPem = dir.resolve("server.pem");
        serverKey = dir.resolve("server.key");
        serverP12 = dir.resolve("server.p12");
    }

    public static boolean available() {
        return Files.isExecutable(OPENSSL);
    }

    public static TestCertificates create(Path dir) throws Exception {
        Files.createDirectories(dir);
        TestCertificates c = new TestCertificates(dir);
        Files.writeString(dir.resolve("ext.cnf"), "subjectAltName=DNS:localhost\n");
        openssl(
                dir,
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "ca.key",
                "-out",
                "ca.pem",
                "-days",
                "2",
                "-subj",
                "/CN=Flowtap Test CA");
        openssl(
                dir,
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                "server.key",
                "-out",
                "server.csr",
                "-subj",
                "/CN=localhost");
        openssl(
                dir,
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "server.pem",
                "-days",
                "2",
                "-extfile",
                "ext.cnf");
        openssl(
                dir,
                "pkcs12",
                "-export",
                "-in",
                "server.pem",
                "-inkey",
                "server.key",
                "-out",
                "server.p12",
                "-passout",
                "pass:" + PASSWORD);
        return c;
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(OPENSSL.toString());
        command.addAll(List.of(args));
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl " + args[0] + " failed: " + output);
        }
    }
}
