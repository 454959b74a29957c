package com.meltano.auth.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import com.meltano.auth.config.StartupFailure;

/**
 * Which process owns a data directory: an exclusive lock on {@value #FILE_NAME}, held by the
 * server for its whole life. The kernel releases it when the process ends in any way, kill -9
 * included, so a free lock means that whatever still runs on the directory (an embedded
 * postmaster) was left by a dead server, and a held one means that a live server owns it.
 *
 * <p>The owner writes its pid and, once known, its database port into the file, so that another
 * process (the command line of SPEC section 11) can find a live server's embedded database with
 * {@link #liveOwner(Path)} and the password file. A command that found no server holds the lock
 * too, for the few seconds it runs its own PostgreSQL, and says so in the file: another command or
 * a server waits for it ({@link #COMMAND_WAIT}) rather than use a database about to stop.
 */
final class DataDirLock {

    static final String FILE_NAME = "server.lock";

    /** How long a start waits for a command that holds the data directory to finish. */
    static final Duration COMMAND_WAIT = Duration.ofSeconds(60);

    /** How long a record that names no process yet is read again before it is taken as it is. */
    private static final Duration RECORD_WAIT = Duration.ofSeconds(2);

    /** The process holding a data directory, the port of its embedded PostgreSQL when written, and whether it is a command. */
    record Owner(OptionalLong pid, OptionalInt databasePort, boolean command) {
    }

    // Kept reachable for the life of the JVM: a channel collected as garbage is closed, and closing
    // it releases the lock.
    private static volatile DataDirLock held;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean command;

    private DataDirLock(Path file, FileChannel channel, FileLock lock, boolean command) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.command = command;
    }

    /**
     * Takes the data directory for this process ({@code command}: a command of the command line),
     * after waiting up to {@link #COMMAND_WAIT} for a command that holds it, or stops the start with
     * one line when a live server (or a command that long) holds it. POSIX record locks belong to the process: nothing else in this JVM may
     * open and close the file afterwards, which would release the lock.
     */
    static DataDirLock acquire(Path dataDir, boolean command) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
            long deadline = System.nanoTime() + COMMAND_WAIT.toNanos();
            while (lock == null && settledRecord(file).command() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                lock = channel.tryLock();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            channel.close();
            throw new IOException("interrupted while waiting for a command to finish", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            Owner owner = settledRecordOrAsIs(file);
            channel.close();
            throw inUse(dataDir, owner);
        }
        DataDirLock taken = new DataDirLock(file, channel, lock, command);
        taken.write(taken.owner(null));
        held = taken;
        return taken;
    }

    /** Whether this process holds a data directory's lock. */
    static boolean heldHere() {
        return held != null;
    }

    /** Records the embedded database's port for {@link #liveOwner(Path)}. */
    void recordDatabasePort(int port) throws IOException {
        write(owner(port));
    }

    // "command" first: a record read while being written says "command" as soon as it says anything
    private String owner(Integer port) {
        return (command ? "command=true\n" : "") + "pid=" + ProcessHandle.current().pid() + "\n"
                + (port == null ? "" : "port=" + port + "\n");
    }

    /**
     * The live server owning {@code dataDir}, if any (for a process other than the server, such as
     * the command line). A free lock is taken and given back at once, so a server starting at
     * that very moment may refuse to start and be retried.
     */
    static Optional<Owner> liveOwner(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        }
        return Optional.of(settledRecordOrAsIs(file));
    }

    /**
     * The holder's record, read again while it names no process: the holder took the lock a moment
     * ago and has not written it yet (or is rewriting it), and an empty record must not pass for a
     * server's. After {@link #RECORD_WAIT} the record is taken as it is.
     */
    private static Owner settledRecord(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + RECORD_WAIT.toNanos();
        Owner owner = read(file);
        while (owner.pid().isEmpty() && !owner.command() && System.nanoTime() < deadline) {
            Thread.sleep(10);
            owner = read(file);
        }
        return owner;
    }

    private static Owner settledRecordOrAsIs(Path file) throws IOException {
        try {
            return settledRecord(file);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + file, e);
        }
    }

    private static StartupFailure inUse(Path dataDir, Owner owner) {
        if (owner.command()) {
            return new StartupFailure("MELTANO_AUTH_DATA_DIR", dataDir + " is still in use by a command"
                    + (owner.pid().isPresent() ? " (pid " + owner.pid().getAsLong() + ")" : "") + " after "
                    + COMMAND_WAIT.toSeconds() + " s; try again when it has finished");
        }
        return new StartupFailure("MELTANO_AUTH_DATA_DIR", dataDir + " is in use by a running server"
                + (owner.pid().isPresent() ? " (pid " + owner.pid().getAsLong() + ")" : "")
                + "; stop it first, or give this server its own data directory");
    }

    private void write(String content) throws IOException {
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.US_ASCII)), 0);
    }

    private static Owner read(Path file) {
        OptionalLong pid = OptionalLong.empty();
        OptionalInt port = OptionalInt.empty();
        boolean command = false;
        try {
            String record = Files.readString(file, StandardCharsets.US_ASCII);
            // only whole lines: the last one may be half written ("port=54" of "port=54321")
            for (String line : record.substring(0, record.lastIndexOf('\n') + 1).split("\n")) {
                if (line.startsWith("pid=")) {
                    pid = OptionalLong.of(Long.parseLong(line.substring(4).trim()));
                } else if (line.startsWith("port=")) {
                    port = OptionalInt.of(Integer.parseInt(line.substring(5).trim()));
                } else if (line.equals("command=true")) {
                    command = true;
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            // being rewritten by its owner, or not ours: the lock alone says who owns the directory
        }
        return new Owner(pid, port, command);
    }

    @Override
    public String toString() {
        return "DataDirLock[" + file + ", valid=" + lock.isValid() + "]";
    }
}
