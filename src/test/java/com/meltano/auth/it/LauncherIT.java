package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, {@code bin/meltano-auth} (issue 13, "a lean default runtime"): it
 * records its class-data-sharing archive by a run that starts no database, writes no data and
 * opens no port, and the server then starts with that archive mapped. Runs on a copy of the
 * packaged application, so that the archive it records belongs to this test alone.
 */
class LauncherIT {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path tmp;

    @Test
    void recordingTheArchiveStartsNoDatabaseAndWritesNoData() throws Exception {
        Path app = copyOfApplication();
        // the working directory is the application's own, where Quarkus' package-time run would be
        Process record = launcher(app, app, Map.of("MELTANO_AUTH_RECORD_ARCHIVE_ONLY", "true")).start();
        assertThat(record.waitFor(120, TimeUnit.SECONDS)).as("recording ends").isTrue();
        String output = new String(record.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(record.exitValue()).as(output).isZero();
        assertThat(app.resolve("meltano-auth.jsa")).isNotEmptyFile();
        assertThat(app.resolve("data")).as("the default data directory ./data").doesNotExist();
        assertThat(output).doesNotContainIgnoringCase("postgres");
        try (Stream<Path> files = Files.list(app)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("app", "lib", "quarkus", "quarkus-run.jar", "bin",
                            "quarkus-app-dependencies.txt", "meltano-auth.jsa", "meltano-auth.jsa.jvm");
        }
    }

    @Test
    void serverStartsWithTheArchiveItRecordedMapped() throws Exception {
        Path app = copyOfApplication();
        Path dataDir = tmp.resolve("data");
        int port = ServerProcess.freePort();
        Path log = tmp.resolve("launcher.log");
        // -Xshare:on makes the JVM refuse to start when the archive cannot be mapped
        ProcessBuilder pb = launcher(app, tmp, Map.of("MELTANO_AUTH_DATA_DIR", dataDir.toString(),
                "JAVA_OPTS", "-Xshare:on", "QUARKUS_HTTP_PORT", Integer.toString(port),
                "QUARKUS_HTTP_HOST", "127.0.0.1"));
        pb.redirectOutput(log.toFile());
        Process server = pb.start();
        try {
            awaitReady(server, port, log);
            assertThat(app.resolve("meltano-auth.jsa")).isNotEmptyFile();
            assertThat(dataDir.resolve("postgres")).isDirectory();
        } finally {
            server.destroy();
            assertThat(server.waitFor(ServerProcess.STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            ServerProcess.killOrphanedPostgres(dataDir);
        }
    }

    /** target/quarkus-app with bin/meltano-auth beside it, as in the container image. */
    private Path copyOfApplication() throws IOException {
        Path source = ServerProcess.jar().toAbsolutePath().getParent();
        Path app = tmp.resolve("app-copy");
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("meltano-auth.jsa") || name.startsWith(".meltano-auth.jsa")) {
                    continue;
                }
                Path target = app.resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.createDirectories(app.resolve("bin"));
        Files.copy(Path.of("bin", "meltano-auth"), app.resolve("bin/meltano-auth"), StandardCopyOption.COPY_ATTRIBUTES);
        return app;
    }

    private static ProcessBuilder launcher(Path app, Path workDir, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(List.of("bash", app.resolve("bin/meltano-auth").toString()));
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().put("HOME", System.getProperty("java.io.tmpdir"));
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        pb.environment().putAll(env);
        pb.directory(workDir.toFile());
        pb.redirectErrorStream(true);
        return pb;
    }

    private static void awaitReady(Process server, int port, Path log) throws Exception {
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + ServerProcess.READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as("launcher exited; output: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not ready within " + ServerProcess.READY_TIMEOUT + "; output: " + Files.readString(log));
    }
}
