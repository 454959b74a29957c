package com.meltano.auth.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * A class-data archive of the packaged server for the process-level tests, which start it or one
 * of its commands about 150 times: the JDK's classes the server loads, mapped from the archive
 * instead of loaded and verified anew, save about a third of the CPU of each start (5.0-5.2 s ->
 * 3.1-3.6 s to ready on 2 cores), and the ITs are CPU-bound. Made once per build and JDK by a trial
 * start (the JVM writes the archive at exit), under a file lock (any test JVM of the build may ask).
 * When it cannot be made the servers start without it, as before.
 */
final class ClassArchive {

    private static List<String> flags;

    private ClassArchive() {
    }

    /** The JVM options that use the archive (none if there is none), made on first use. */
    static synchronized List<String> flags() {
        if (flags == null) {
            flags = make();
        }
        return flags;
    }

    private static List<String> make() {
        Path jar = ServerProcess.jar().toAbsolutePath();
        Path dir = jar.getParent().getParent().resolve("it-class-archive");
        try {
            String key = Long.toHexString(Files.getLastModifiedTime(jar).toMillis()) + "-" + Files.size(jar) + "-"
                    + Integer.toHexString(System.getProperty("java.home").hashCode());
            Path archive = dir.resolve("classes-" + key + ".jsa");
            Files.createDirectories(dir);
            try (FileChannel lockFile = FileChannel.open(dir.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock held = lockFile.lock()) {
                if (!Files.exists(archive)) {
                    removeOthers(dir);
                    record(archive);
                }
            }
            // a mismatch (another JDK, say) would print a warning into the server's output, which tests read
            return Files.exists(archive) ? List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds*=off") : List.of();
        } catch (IOException | RuntimeException | AssertionError e) {
            Logger.getLogger(ClassArchive.class.getName()).warning("servers start without a class archive: " + e);
            return List.of();
        }
    }

    /** Starts the server until ready and stops it: the JVM dumps the classes it loaded at exit. */
    private static void record(Path archive) throws IOException {
        Path work = Files.createTempDirectory(archive.getParent(), "trial");
        Path partial = work.resolve("classes.jsa");
        try (ServerProcess trial = ServerProcess.launch("class-archive", work.resolve("data"), Map.of(),
                List.of("-XX:ArchiveClassesAtExit=" + partial))) {
            trial.awaitReady();
        }
        try {
            if (Files.exists(partial)) {
                Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void removeOthers(Path dir) throws IOException {
        try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, "{classes-*.jsa,trial*}")) {
            for (Path p : old) {
                deleteTree(p);
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
