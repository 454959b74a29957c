package com.meltano.auth.boot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * Files of the data directory readable by the owner alone (mode 0600): secrets generated once (the
 * key-encryption key, the embedded database's password) and the embedded database's
 * {@code pg_hba.conf}. Each is written so that a crash at any moment leaves the whole old file or
 * the whole new one on disk, never an empty one: what a secret protects (encrypted keys, a
 * database password already set) is durable before the secret is used.
 */
final class OwnerOnlyFile {

    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnerOnlyFile() {
    }

    /** The file's content (trimmed); created with {@code randomBytes} random bytes in base64 when missing. */
    static String readOrCreate(Path file, int randomBytes, Base64.Encoder encoder) throws IOException {
        if (!Files.exists(file)) {
            byte[] raw = new byte[randomBytes];
            RANDOM.nextBytes(raw);
            create(file, encoder.encodeToString(raw));
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /** Replaces the file's content at once: a crash leaves the old content or the new, whole. */
    static void replace(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = written(dir, file, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void create(Path file, String value) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = written(dir, file, value + "\n");
        try {
            try {
                // no replacement: a process that created it first wins, and its value is used
                Files.createLink(file, tmp);
            } catch (FileAlreadyExistsException raced) {
                return;
            } catch (UnsupportedOperationException noLinks) {
                moveIfAbsent(tmp, file);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A new owner-only file beside {@code file}, holding {@code content}, on disk. */
    private static Path written(Path dir, Path file, String content) throws IOException {
        Path tmp = dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException noPosix) {
            Files.createFile(tmp);
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return tmp;
    }

    private static void moveIfAbsent(Path tmp, Path file) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file);
        }
    }

    /** Makes the new directory entry itself durable (POSIX: fsync of the directory). */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException notSupported) {
            // some file systems cannot open a directory: the entry is then as durable as they make it
        }
    }
}
