package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The packaged server ({@code java -jar target/quarkus-app/quarkus-run.jar}) as a separate
 * process, as an operator runs it. The child gets a minimal environment (nothing of ours is
 * inherited, in particular no secret and no {@code QUARKUS_DATASOURCE_*}), listens on a free port
 * of 127.0.0.1 and writes stdout and stderr to one file under {@code target/it-logs}. The JDK's
 * classes come from the tests' {@link ClassArchive} (a JVM option; the application is the same).
 */
public final class ServerProcess implements AutoCloseable {

    /** How long a start may take before the test gives up (SPEC: a start is a few seconds). */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    /** How long SIGTERM may take before the process is killed. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    /** Variables of the test JVM worth passing on: none of them carries a secret. */
    private static final List<String> PASSED_THROUGH = List.of("PATH", "HOME", "USER", "LANG", "LC_ALL", "TZ", "JAVA_HOME", "TMPDIR");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static final int FIRST_PORT = 20000;
    private static final int PORTS = 12000;
    /** Of the servers and commands these tests start (nice(1)): 10 gives the test JVM about nine tenths of a contended core. */
    private static final int NICENESS = 10;
    private static int nextPort = ThreadLocalRandom.current().nextInt(PORTS);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Process process;
    private final Path log;
    private final int port;
    private final Path dataDir;

    private ServerProcess(String name, Process process, Path log, int port, Path dataDir) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.port = port;
        this.dataDir = dataDir;
    }

    /** The exit of a process expected to stop by itself. */
    public record Exit(int exitCode, String output) {

        /** Non-empty lines of the output. */
        public List<String> lines() {
            List<String> lines = new ArrayList<>();
            for (String line : output.split("\\R")) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
            return lines;
        }
    }

    /** How a running server ended after {@link #stop()}. */
    public record Stopped(int exitCode, boolean forced) {
    }

    /** Starts a server and waits until {@code /q/health/ready} answers 200. */
    public static ServerProcess start(String name, Path dataDir, Map<String, String> env) {
        ServerProcess server = launch(name, dataDir, env);
        server.awaitReady();
        return server;
    }

    /**
     * Starts a server without waiting for it: several may then start at the same time. The
     * {@code env} given wins over the defaults (a free port, {@code QUARKUS_HTTP_HOST=127.0.0.1},
     * {@code MELTANO_AUTH_DATA_DIR}); a value of {@code null} removes a default.
     */
    public static ServerProcess launch(String name, Path dataDir, Map<String, String> env) {
        return launch(name, dataDir, env, ClassArchive.flags());
    }

    static ServerProcess launch(String name, Path dataDir, Map<String, String> env, List<String> jvmOptions) {
        int port = env.get("QUARKUS_HTTP_PORT") != null ? Integer.parseInt(env.get("QUARKUS_HTTP_PORT")) : freePort();
        Map<String, String> full = new HashMap<>();
        full.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        full.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        full.put("MELTANO_AUTH_DATA_DIR", dataDir.toString());
        full.putAll(env);
        full.values().removeIf(v -> v == null);
        Path log = logFile(name);
        Process process = spawn(jvmOptions, full, dataDir, log);
        return new ServerProcess(name, process, log, port, dataDir);
    }

    /**
     * Runs the server expecting it to refuse to start: waits up to {@code timeout} for it to exit
     * on its own (killing it and failing the test if it does not) and returns status and output.
     */
    public static Exit runToExit(String name, Path dataDir, Map<String, String> env, Duration timeout) {
        Map<String, String> full = new HashMap<>();
        full.put("QUARKUS_HTTP_PORT", Integer.toString(freePort()));
        full.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        full.put("MELTANO_AUTH_DATA_DIR", dataDir.toString());
        full.putAll(env);
        full.values().removeIf(v -> v == null);
        Path log = logFile(name);
        Process process = spawn(ClassArchive.flags(), full, dataDir, log);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                killOrphanedPostgres(dataDir);
                fail("%s did not exit within %s; output:%n%s", name, timeout, read(log));
            }
            return new Exit(process.exitValue(), read(log));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    private static Process spawn(List<String> jvmOptions, Map<String, String> env, Path dataDir, Path log) {
        ProcessBuilder pb = javaJar(jvmOptions, env, dataDir);
        try {
            pb.redirectErrorStream(true);
            pb.redirectOutput(log.toFile());
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + jar(), e);
        }
    }

    /**
     * {@code java -jar} of the packaged application with a minimal environment plus {@code env},
     * in the test's own working directory (the parent of {@code dataDir}), so that nothing lands in
     * the project ({@code ./data}). Also the command line's runner ({@link CommandLineRun}). The
     * JDK's classes come from the tests' {@link ClassArchive}.
     */
    static ProcessBuilder javaJar(Map<String, String> env, Path dataDir, String... args) {
        return javaJar(ClassArchive.flags(), env, dataDir, args);
    }

    private static ProcessBuilder javaJar(List<String> jvmOptions, Map<String, String> env, Path dataDir, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // below the test JVM's priority: the Quarkus tests, one class after another beside these, are
        // the suite's longest chain, and these servers mostly have time to spare (pom.xml, surefire)
        List<String> command = new ArrayList<>(List.of("nice", "-n", Integer.toString(NICENESS), java, "-Xmx512m", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        for (String variable : PASSED_THROUGH) {
            String value = System.getenv(variable);
            if (value != null) {
                pb.environment().put(variable, value);
            }
        }
        pb.environment().putAll(env);
        Path workDir = dataDir.getParent() != null ? dataDir.getParent() : dataDir;
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pb.directory(workDir.toFile());
        return pb;
    }

    /**
     * Polls readiness; fails at once with the output if the process dies meanwhile, and stops it
     * if it is not ready in time.
     */
    public void awaitReady() {
        try {
            awaitReady(name, process, port, this::output);
        } catch (AssertionError notReady) {
            stop();
            throw notReady;
        }
    }

    /**
     * Polls readiness until the process says it listens on {@code port} and that port answers 200
     * (the port alone could answer for another program that took it first, while this server
     * fails to bind); fails at once with the output if the process dies meanwhile, and after
     * {@link #READY_TIMEOUT}. Also for the server that {@code bin/meltano-auth} runs.
     */
    static void awaitReady(String name, Process process, int port, Supplier<String> output) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        Pattern listening = Pattern.compile("Listening on: https?://[^ ]+:" + port + "\\b");
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("%s exited with status %d before it was ready; output:%n%s", name, process.exitValue(), output.get());
            }
            try {
                if (HTTP.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && listening.matcher(output.get()).find()) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(50);
        }
        fail("%s was not ready within %s; output:%n%s", name, READY_TIMEOUT, output.get());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** Everything the process wrote to stdout and stderr so far. */
    public String output() {
        return read(log);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM, so that Quarkus shuts down and closes the embedded PostgreSQL; after
     * {@link #STOP_TIMEOUT} the process is killed (and a PostgreSQL it left behind stopped).
     */
    public Stopped stop() {
        return stop(process, dataDir);
    }

    /**
     * {@link #stop()} for any server process on {@code dataDir}: also for the one that
     * {@code bin/meltano-auth} runs.
     */
    static Stopped stop(Process process, Path dataDir) {
        if (!process.isAlive()) {
            return new Stopped(process.exitValue(), false);
        }
        process.destroy();
        try {
            if (process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                return new Stopped(process.exitValue(), false);
            }
            threadDump(process);
            process.destroyForcibly();
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            killOrphanedPostgres(dataDir);
            return new Stopped(process.isAlive() ? -1 : process.exitValue(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Asks a JVM that overran its stop for its threads (SIGQUIT: the dump goes to its output, which
     * the failing test prints), so that a stop that hangs says where.
     */
    private static void threadDump(Process process) {
        try {
            new ProcessBuilder("kill", "-QUIT", Long.toString(process.pid())).start().waitFor(5, TimeUnit.SECONDS);
            Thread.sleep(1_000);
        } catch (IOException e) {
            // no dump then
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * SIGKILL, as an operator's {@code kill -9} or the OOM killer: no shutdown hook runs, so the
     * embedded PostgreSQL (a separate process) stays running with its data directory.
     */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The embedded postmaster's pid, as its {@code postmaster.pid} in the data directory says. */
    public static java.util.OptionalLong postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postgres").resolve("postmaster.pid"));
            return java.util.OptionalLong.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | RuntimeException none) {
            return java.util.OptionalLong.empty();
        }
    }

    /**
     * Whether the process runs, as {@code ps} tells an operator: a zombie (state Z) has ended, even
     * before the process that adopted it gets to reaping it (the JDK's {@code isAlive} counts it).
     */
    public static boolean running(long pid) {
        try {
            Process ps = new ProcessBuilder("ps", "-o", "stat=", "-p", Long.toString(pid)).redirectErrorStream(true).start();
            String state = new String(ps.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            ps.waitFor(10, TimeUnit.SECONDS);
            return !state.isEmpty() && !state.startsWith("Z");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    /**
     * The packaged server, from the system property {@code it.server.jar} that surefire sets (outside
     * {@code meltano.auth.*}, which the Quarkus tests' configuration checks for unknown names).
     */
    public static Path jar() {
        String jar = System.getProperty("it.server.jar");
        if (jar == null) {
            throw new IllegalStateException("system property it.server.jar is not set (run the tests through ./mvnw, which packages first)");
        }
        Path path = Path.of(jar);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException(path + " does not exist: package the application first");
        }
        return path;
    }

    /**
     * A port no one listens on, for a server or stand-in a test starts. Taken below the kernel's
     * ephemeral range (32768 and up), so that no port the kernel hands out meanwhile (an embedded
     * PostgreSQL's, an outgoing connection's) is the same, and in turn from {@link #PORTS}, so that
     * none is handed out twice until the range has gone round: a server that is still starting
     * cannot lose its port to the next. This JVM is the build's only test JVM (the ITs run beside
     * the Quarkus tests); it starts at a random place in the range, so that the tests of another
     * clone built at the same time seldom meet it.
     */
    public static synchronized int freePort() {
        for (int tried = 0; tried < PORTS; tried++) {
            int port = FIRST_PORT + nextPort++ % PORTS;
            try (ServerSocket socket = new ServerSocket(port)) {
                return port;
            } catch (IOException taken) {
                // in use on some address (a server this JVM still runs, or another program): the next one
            }
        }
        throw new IllegalStateException("no free port in " + FIRST_PORT + ".." + (FIRST_PORT + PORTS - 1));
    }

    /**
     * The embedded PostgreSQL runs as its own process (pg_ctl), so a killed server leaves it
     * running on the data directory: stop the postmaster this test started, by the pid it wrote.
     */
    private static void killOrphanedPostgres(Path dataDir) {
        Path pidFile = dataDir.resolve("postgres").resolve("postmaster.pid");
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            String first = Files.readAllLines(pidFile).get(0).trim();
            ProcessHandle.of(Long.parseLong(first)).ifPresent(ProcessHandle::destroy);
        } catch (IOException | RuntimeException ignored) {
            // best effort cleanup
        }
    }

    /** A new file under {@code target/it-logs}, numbered in the order of the run. */
    static Path logFile(String name) {
        Path dir = jar().toAbsolutePath().getParent().getParent().resolve("it-logs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir.resolve(String.format("%03d-%s.log", SEQUENCE.incrementAndGet(), name.replaceAll("[^A-Za-z0-9._-]", "_")));
    }

    static String read(Path log) {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
