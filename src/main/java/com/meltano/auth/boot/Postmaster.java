package com.meltano.auth.boot;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import com.meltano.auth.config.StartupFailure;

/**
 * The embedded PostgreSQL server process of a data directory, found through the
 * {@code postmaster.pid} it keeps there. It runs detached from the JVM (started by pg_ctl), so a
 * server killed with -9 leaves it running, with committed data in its buffers: it is only ever
 * stopped the way pg_ctl stops it, never killed, and its pid file is left to it.
 */
final class Postmaster {

    private static final Logger LOG = Logger.getLogger(Postmaster.class);
    /** A shutdown checkpoint with fsync on, on a slow disk: generous, as a stop is never forced. */
    static final Duration STOP_TIMEOUT = Duration.ofMinutes(2);
    private static final Duration EXIT_POLL = Duration.ofMillis(10);
    /** How often a start reads the pid file for the postmaster's readiness (pg_ctl's own wait reads it every 100 ms). */
    private static final Duration READY_POLL = Duration.ofMillis(5);
    /** Lines of {@code postmaster.pid} (PostgreSQL's pidfile.h), counted from 1: pid, start time, port, status. */
    private static final int PID_LINE = 1;
    private static final int START_TIME_LINE = 3;
    private static final int PORT_LINE = 4;
    private static final int STATUS_LINE = 8;

    private Postmaster() {
    }

    /**
     * Stops a postmaster of {@code pgData} left by a dead server. Call only while holding the
     * {@link DataDirLock}: a live server's postmaster is never touched.
     */
    static void stopLeftover(Path pgData) throws IOException {
        Optional<ProcessHandle> leftover = live(pgData);
        if (leftover.isEmpty()) {
            return;
        }
        long pid = leftover.get().pid();
        LOG.infof("stopping the embedded PostgreSQL (pid %d) left running by a server that ended abruptly", pid);
        if (!stop(leftover.get(), pgData)) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "the embedded PostgreSQL (pid " + pid
                    + ") left running in " + pgData + " did not stop within " + STOP_TIMEOUT.toSeconds()
                    + " s; stop it (pg_ctl stop -m fast), then start again");
        }
    }

    /**
     * The live postmaster serving {@code pgData}, if any. A pid file whose process is gone is
     * stale and PostgreSQL replaces it itself; one whose pid now belongs to an unrelated program
     * (after a reboot, in a new container) is removed here, as PostgreSQL would refuse to start
     * beside it. A process that cannot be told apart from a postmaster stops the start instead.
     */
    static Optional<ProcessHandle> live(Path pgData) throws IOException {
        Path pidFile = pgData.resolve("postmaster.pid");
        List<String> lines;
        try {
            lines = Files.readAllLines(pidFile, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException none) {
            return Optional.empty();
        }
        long pid;
        try {
            // negative in single-user mode
            pid = Math.abs(Long.parseLong(lines.get(0).trim()));
        } catch (IndexOutOfBoundsException | NumberFormatException unreadable) {
            return Optional.empty();
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty() || pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        ProcessHandle.Info info = process.get().info();
        Optional<String[]> arguments = info.arguments();
        if (arguments.isPresent() && servesDirectory(arguments.get(), pgData)) {
            return process;
        }
        boolean unrelated = arguments.isPresent()
                && info.command().map(c -> !Path.of(c).getFileName().toString().startsWith("postgres")).orElse(false);
        if (!unrelated) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", pidFile + " names process " + pid
                    + ", which cannot be told apart from a PostgreSQL server of that directory; stop it, then start again");
        }
        Files.deleteIfExists(pidFile);
        return Optional.empty();
    }

    /** A direct start that failed; its message names how, and never holds anything secret. */
    static final class NotStarted extends IOException {
        NotStarted(String how) {
            super(how);
        }
    }

    /**
     * Starts the postmaster of the initialised cluster {@code pgData} with the programs of
     * {@code installation} (its {@code bin/}) and the server options {@code options}, and returns
     * once it accepts connections on {@code port}: as soon as its pid file says so, read every
     * {@link #READY_POLL} (pg_ctl, which starts it detached from this JVM, waits too, but reads the
     * file only every 100 ms). Its output (PostgreSQL's log) goes to this server's log.
     *
     * @throws NotStarted when pg_ctl fails (its output, logged, says why) or the postmaster is
     *         not ready within {@code timeout}
     * @throws IOException when pg_ctl cannot be run
     */
    static void start(Path installation, Path pgData, int port, List<String> options, Duration timeout) throws IOException {
        // the pid file records its start time in whole seconds, as pg_ctl compares it
        long launched = System.currentTimeMillis() / 1000 - 1;
        Process pgCtl = new ProcessBuilder(asServerUser(installation.resolve("bin/pg_ctl").toString(), "start",
                "-D", pgData.toString(), "-o", String.join(" ", options), "-w", "-t", Long.toString(timeout.toSeconds())))
                .redirectErrorStream(true)
                .start();
        logOutput(pgCtl);
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!ready(pgData, port, launched)) {
                if (!pgCtl.isAlive() && pgCtl.exitValue() != 0) {
                    throw new NotStarted("pg_ctl start exited with status " + pgCtl.exitValue());
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new NotStarted("not ready within " + timeout.toSeconds() + " s");
                }
                Thread.sleep(READY_POLL.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotStarted("interrupted while it started");
        }
    }

    /**
     * Whether the pid file is that of a postmaster started since {@code launched} (epoch seconds)
     * on {@code port}, alive, and accepting connections: what pg_ctl's wait checks.
     */
    static boolean ready(Path pgData, int port, long launched) {
        List<String> lines;
        try {
            lines = Files.readAllLines(pgData.resolve("postmaster.pid"), StandardCharsets.ISO_8859_1);
        } catch (IOException notYet) {
            return false;
        }
        if (lines.size() < STATUS_LINE) {
            return false;
        }
        try {
            long pid = Long.parseLong(lines.get(PID_LINE - 1).trim());
            long started = Long.parseLong(lines.get(START_TIME_LINE - 1).trim());
            int listening = Integer.parseInt(lines.get(PORT_LINE - 1).trim());
            String status = lines.get(STATUS_LINE - 1).trim();
            return started >= launched && listening == port && (status.equals("ready") || status.equals("standby"))
                    && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException halfWritten) {
            return false;
        }
    }

    /** Each line that pg_ctl and the postmaster it starts write, into this server's log, until the postmaster ends. */
    private static void logOutput(Process pgCtl) {
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(pgCtl.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    LOG.info(line);
                }
            } catch (IOException ended) {
                // the postmaster closed its output
            }
        }, "embedded-postgres-log");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * A PostgreSQL program's command line as this server runs it: PostgreSQL refuses to run as
     * root, so as root it runs in a user namespace of its own ({@code unshare -U}, where it is an
     * unprivileged user), as the embedding library runs it.
     */
    static List<String> asServerUser(String... command) {
        List<String> full = new ArrayList<>();
        if (runningAsRoot()) {
            full.addAll(List.of("unshare", "-U"));
        }
        full.addAll(List.of(command));
        return full;
    }

    /** The owner of this process' /proc entry is its effective user; elsewhere the JDK's user name. */
    private static boolean runningAsRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException noProc) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * pg_ctl's fast shutdown (sessions ended, open transactions rolled back, a checkpoint
     * written); SIGTERM (smart shutdown) when pg_ctl is not beside the running binary or could not
     * stop it. Returns whether the process has ended.
     */
    static boolean stop(ProcessHandle postmaster, Path pgData) {
        Optional<Path> pgCtl = postmaster.info().command()
                .map(c -> Path.of(c).resolveSibling("pg_ctl"))
                .filter(Files::isExecutable);
        try {
            if (pgCtl.isPresent()) {
                Process stop = new ProcessBuilder(asServerUser(pgCtl.get().toString(), "stop", "-D", pgData.toString(),
                        "-m", "fast", "-w", "-t", Long.toString(STOP_TIMEOUT.toSeconds())))
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                if (!stop.waitFor(STOP_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS)) {
                    stop.destroy();
                }
                if (awaitExit(postmaster, Duration.ofSeconds(5))) {
                    return true;
                }
            }
            // smart shutdown: waits for sessions to end, and a dead server's sessions died with it
            postmaster.destroy();
            return awaitExit(postmaster, STOP_TIMEOUT);
        } catch (IOException e) {
            postmaster.destroy();
            return awaitExit(postmaster, STOP_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return hasEnded(postmaster);
        }
    }

    /**
     * Waits until the process has ended, polling every {@link #EXIT_POLL}. The postmaster is not
     * this JVM's child (pg_ctl started it), so it is reaped by whichever process adopted it, when
     * that process gets to it: until then it is a zombie, which {@link ProcessHandle#isAlive}
     * counts as alive and {@link ProcessHandle#onExit} polls for, first after 300 ms. A zombie has
     * run to its end (files closed, memory released), so it counts as ended here.
     */
    static boolean awaitExit(ProcessHandle process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!hasEnded(process)) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(EXIT_POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return hasEnded(process);
            }
        }
        return true;
    }

    /** Gone, or a zombie (Linux: state Z or X in /proc/PID/stat); elsewhere, as the JDK says. */
    static boolean hasEnded(ProcessHandle process) {
        if (!process.isAlive()) {
            return true;
        }
        Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
        try {
            String line = Files.readString(stat, StandardCharsets.ISO_8859_1);
            // "pid (comm) S ...": the command may hold spaces and parentheses, the state follows the last ')'
            int state = line.lastIndexOf(')') + 2;
            return state < line.length() && (line.charAt(state) == 'Z' || line.charAt(state) == 'X');
        } catch (NoSuchFileException gone) {
            // reaped since isAlive, or a system without /proc: ask the JDK again
            return !process.isAlive();
        } catch (IOException unreadable) {
            return false;
        }
    }

    private static boolean servesDirectory(String[] arguments, Path pgData) {
        for (int i = 0; i < arguments.length; i++) {
            String dir = null;
            if (arguments[i].equals("-D") && i + 1 < arguments.length) {
                dir = arguments[i + 1];
            } else if (arguments[i].startsWith("-D") && arguments[i].length() > 2) {
                dir = arguments[i].substring(2);
            }
            if (dir != null && sameFile(Path.of(dir), pgData)) {
                return true;
            }
        }
        return false;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
