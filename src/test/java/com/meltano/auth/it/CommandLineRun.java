package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One command of the command line (SPEC section 11) as an operator runs it:
 * {@code java -jar quarkus-run.jar ARGS} with {@code MELTANO_AUTH_DATA_DIR}, standard input given,
 * standard output and standard error kept apart (in files under {@code target/it-logs}).
 */
final class CommandLineRun {

    private static final Duration TIMEOUT = Duration.ofSeconds(120);
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /** How a command ended, and how long it took from launch to exit (JVM, Quarkus and database included). */
    record Result(int exitCode, String stdout, String stderr, Duration took) {

        List<String> stdoutLines() {
            return stdout.lines().filter(l -> !l.isBlank()).toList();
        }

        List<String> stderrLines() {
            return stderr.lines().filter(l -> !l.isBlank()).toList();
        }
    }

    private CommandLineRun() {
    }

    static Result run(Path dataDir, Map<String, String> env, String stdin, String... args) {
        Map<String, String> full = new HashMap<>();
        full.put("MELTANO_AUTH_DATA_DIR", dataDir.toString());
        full.putAll(env);
        ProcessBuilder pb = ServerProcess.javaJar(full, dataDir, args);
        Path logs = ServerProcess.jar().toAbsolutePath().getParent().getParent().resolve("it-logs");
        String name = String.format("%03d-cli-%s", SEQUENCE.incrementAndGet(), String.join("_", args).replaceAll("[^A-Za-z0-9._-]", "_"));
        Path out = logs.resolve(name.substring(0, Math.min(name.length(), 80)) + ".out");
        Path err = out.resolveSibling(out.getFileName().toString().replaceFirst("\\.out$", ".err"));
        try {
            Files.createDirectories(logs);
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            long start = System.nanoTime();
            Process process = pb.start();
            try (OutputStream in = process.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(30, TimeUnit.SECONDS);
                fail("%s did not exit within %s; stderr:%n%s", String.join(" ", args), TIMEOUT, Files.readString(err));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), took);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
