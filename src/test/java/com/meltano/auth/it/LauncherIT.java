package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's run command, {@code bin/meltano-auth} (issue 13, "a lean default runtime"): before
 * the first start of a build it makes its class cache by a trial run on a throwaway database in a
 * temporary directory, and the server then starts with that cache mapped. Quarkus' own
 * package-time archive run (off in this build, but one property away) starts no database and
 * writes no data. Runs on a copy of the packaged application, so that the cache it makes belongs
 * to this test alone.
 */
@ProcessLevel
class LauncherIT {

    @TempDir
    Path tmp;

    @Test
    void packageTimeArchiveRunStartsNoDatabaseAndWritesNoData() throws Exception {
        Path app = copyOfApplication();
        // what quarkus.package.jar.appcds.enabled runs at package time, in the application's directory
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:ArchiveClassesAtExit=" + app.resolve("app-cds.jsa"), "-Dquarkus.appcds.generate=true",
                "-jar", app.resolve("quarkus-run.jar").toString()));
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.directory(app.toFile());
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("record.log").toFile());
        Process record = pb.start();
        assertThat(record.waitFor(120, TimeUnit.SECONDS)).as("recording ends").isTrue();
        String output = Files.readString(tmp.resolve("record.log"));

        assertThat(record.exitValue()).as(output).isZero();
        assertThat(app.resolve("app-cds.jsa")).isNotEmptyFile();
        assertThat(app.resolve("data")).as("the default data directory ./data").doesNotExist();
        // the embedded database logs its start through zonky's EmbeddedPostgres
        assertThat(output).doesNotContain("EmbeddedPostgres").doesNotContain("database system is ready");
    }

    @Test
    void firstStartMakesTheClassCacheOnAThrowawayDatabaseThenStartsWithIt() throws Exception {
        Path app = copyOfApplication();
        Path dataDir = tmp.resolve("data");
        Path workDir = Files.createDirectories(tmp.resolve("work"));
        Path trialTmp = Files.createDirectories(tmp.resolve("trial-tmp"));
        Path classLog = tmp.resolve("classes.log");
        int port = ServerProcess.freePort();
        Path log = tmp.resolve("launcher.log");
        // JAVA unset: the launcher picks the newest JDK it finds (an ahead-of-time cache from 25 on)
        String adminSecret = ItSupport.newSecret();
        String baseUrl = "http://127.0.0.1:" + port;
        ProcessBuilder pb = launcher(app, workDir, Map.of("MELTANO_AUTH_DATA_DIR", dataDir.toString(),
                "TMPDIR", trialTmp.toString(), "JAVA_OPTS", "-Xlog:class+load:file=" + classLog,
                "QUARKUS_HTTP_PORT", Integer.toString(port), "QUARKUS_HTTP_HOST", "127.0.0.1", "MELTANO_AUTH_ISSUER", baseUrl,
                "MELTANO_AUTH_ADMIN_CLIENT_ID", "launcher-admin", "MELTANO_AUTH_ADMIN_CLIENT_SECRET", adminSecret));
        pb.redirectOutput(log.toFile());
        Process server = pb.start();
        try {
            ServerProcess.awaitReady("launcher", server, port, () -> ServerProcess.read(log));
            String output = Files.readString(log);
            assertThat(output).contains("meltano-auth: class cache ready");
            Path cache = Files.exists(app.resolve("meltano-auth.aot")) ? app.resolve("meltano-auth.aot") : app.resolve("meltano-auth.jsa");
            assertThat(cache).isNotEmptyFile();
            assertThat(Path.of(cache + ".jvm")).isNotEmptyFile();
            // the trial run left nothing behind: no temporary directory, nothing in the working directory
            try (Stream<Path> left = Files.list(trialTmp); Stream<Path> work = Files.list(workDir)) {
                assertThat(left).isEmpty();
                assertThat(work).isEmpty();
            }
            assertThat(dataDir.resolve("postgres")).isDirectory();
            // the server's own classes came from the cache
            assertThat(Files.readString(classLog)).containsPattern("com\\.meltano\\.auth\\.boot\\.Bootstrap source: shared objects file");
            // a token signed by AWS-LC (keys.SoftwareSigners), whose JNI library loads without the JDK's warning
            String token = ItSupport.clientCredentialsToken(baseUrl, "launcher-admin", adminSecret);
            ItSupport.verifyAccessToken(token, ItSupport.jwks(baseUrl), baseUrl);
            assertThat(Files.readString(classLog)).contains("com.amazon.corretto.crypto.provider.EvpSignature");
            assertThat(Files.readString(log)).doesNotContain("WARNING").doesNotContain("cannot load here");
        } finally {
            ServerProcess.Stopped stopped = ServerProcess.stop(server, dataDir);
            assertThat(stopped.forced()).as("stops on SIGTERM within %s; output:%n%s", ServerProcess.STOP_TIMEOUT, Files.readString(log)).isFalse();
        }
    }

    /** target/quarkus-app with bin/meltano-auth beside it, as in the container image. */
    private Path copyOfApplication() throws IOException {
        Path source = ServerProcess.jar().toAbsolutePath().getParent();
        Path app = tmp.resolve("app-copy");
        try (Stream<Path> paths = Files.walk(source)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith("meltano-auth.") || name.startsWith(".meltano-auth.")) {
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
        pb.environment().putAll(env);
        pb.directory(workDir.toFile());
        pb.redirectErrorStream(true);
        return pb;
    }
}
