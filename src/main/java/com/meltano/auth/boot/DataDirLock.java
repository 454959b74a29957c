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
 * {@link #liveOwner(Path)} and the password file.
 */
final class DataDirLock {

    static final String FILE_NAME = "server.lock";

    /** The process holding a data directory, and the port of its embedded PostgreSQL when written. */
    record Owner(OptionalLong pid, OptionalInt databasePort) {
    }

    // Kept reachable for the life of the JVM: a channel collected as garbage is closed, and closing
    // it releases the lock.
    private static volatile DataDirLock held;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the data directory for this process, or stops the start with one line when a live
     * server holds it. POSIX record locks belong to the process: nothing else in this JVM may
     * open and close the file afterwards, which would release the lock.
     */
    static DataDirLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        if (lock == null) {
            channel.close();
            throw inUse(dataDir, read(file));
        }
        DataDirLock taken = new DataDirLock(file, channel, lock);
        taken.write("pid=" + ProcessHandle.current().pid() + "\n");
        held = taken;
        return taken;
    }

    /** Whether this process holds a data directory's lock. */
    static boolean heldHere() {
        return held != null;
    }

    /** Records the embedded database's port for {@link #liveOwner(Path)}. */
    void recordDatabasePort(int port) throws IOException {
        write("pid=" + ProcessHandle.current().pid() + "\nport=" + port + "\n");
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
        return Optional.of(read(file));
    }

    private static StartupFailure inUse(Path dataDir, Owner owner) {
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
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                if (line.startsWith("pid=")) {
                    pid = OptionalLong.of(Long.parseLong(line.substring(4).trim()));
                } else if (line.startsWith("port=")) {
                    port = OptionalInt.of(Integer.parseInt(line.substring(5).trim()));
                }
            }
        } catch (IOException | NumberFormatException unreadable) {
            // being rewritten by its owner, or not ours: the lock alone says who owns the directory
        }
        return new Owner(pid, port);
    }

    @Override
    public String toString() {
        return "DataDirLock[" + file + ", valid=" + lock.isValid() + "]";
    }
}
