package com.meltano.auth.boot;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.jar.JarEntry;

import org.jboss.logging.Logger;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * Where the embedding library's PostgreSQL binaries are, remembered from one start to the next.
 *
 * <p>The library locates its binaries at every start, even when it unpacked them long ago: it
 * probes the Linux distribution with a subprocess, then reads its 14 MB archive from the class
 * path into memory, to name the unpacked directory by the archive's MD5. That took 0.1 to 0.2 s
 * of a second start on two cores and put some 30 MB of garbage into a 24 MB heap. So once a start
 * has run, the directory its postmaster was started from is written to {@value #FILE_NAME} in the
 * data directory, next to the archive it came from (its jar, CRC-32 and size, as the jar's
 * directory lists them: nothing is decompressed). A later start with the same archive starts an
 * initialised data directory with that directory's pg_ctl itself ({@link EmbeddedDatabase}), and
 * otherwise hands the directory to the library's own cache of unpacked binaries, which it consults
 * first. Any doubt (another archive, a directory gone or incomplete, a library without that cache,
 * a system other than Linux) leaves the library to do it its own way.
 */
final class PostgresBinaries {

    static final String FILE_NAME = "postgres-binaries";
    private static final Logger LOG = Logger.getLogger(PostgresBinaries.class);
    private static final String ARCHIVE = "archive=";
    private static final String DIRECTORY = "directory=";
    /** The library's cache of unpacked binaries per resolver (a private field of version 2.x). */
    private static final String PREPARED = "PREPARE_BINARIES";

    private final Path record;
    private final PgBinaryResolver resolver;
    private final String archive;
    private final Path known;

    private PostgresBinaries(Path record, PgBinaryResolver resolver, String archive, Path known) {
        this.record = record;
        this.resolver = resolver;
        this.archive = archive;
        this.known = known;
    }

    /**
     * The binaries for a start on {@code dataDir}: the recorded directory when it still holds the
     * binaries of the archive on the class path, and the library's own resolver behind a key of
     * this start's own in its cache.
     */
    static PostgresBinaries forStart(Path dataDir, PgBinaryResolver delegate) {
        Path record = dataDir.resolve(FILE_NAME);
        PgBinaryResolver resolver = delegate::getPgBinary; // a new key: this start's entry alone
        String archive = archiveIdentity();
        Path known = archive == null ? null : recorded(record, archive).filter(PostgresBinaries::complete).orElse(null);
        return new PostgresBinaries(record, resolver, archive, known);
    }

    static PostgresBinaries forStart(Path dataDir) {
        return forStart(dataDir, DefaultPostgresBinaryResolver.INSTANCE);
    }

    /**
     * What to give the library's builder, for a start through the library only: the recorded
     * directory, when known, is handed to the library's cache first, so that it does not locate
     * the binaries again (where it has no such cache, it locates them its own way).
     */
    PgBinaryResolver resolver() {
        if (known != null) {
            seed(resolver, known.toFile());
        }
        return resolver;
    }

    /** Whether the recorded directory holds this archive's binaries (a start need not locate them). */
    boolean known() {
        return known != null;
    }

    /** The recorded directory (its {@code bin/} holds the programs); only when {@link #known()}. */
    Path installation() {
        if (known == null) {
            throw new IllegalStateException("the binaries' directory is not known");
        }
        return known;
    }

    /**
     * Records the directory of the postmaster now serving {@code pgData}, for the next start;
     * nothing when it is already recorded or cannot be told. Never fails the start.
     */
    void remember(Path pgData) {
        if (archive == null) {
            return;
        }
        try {
            Optional<Path> dir = Postmaster.live(pgData)
                    .flatMap(p -> p.info().command())
                    .map(c -> Path.of(c).getParent())
                    .filter(bin -> bin != null && bin.getFileName().toString().equals("bin"))
                    .map(Path::getParent)
                    .filter(PostgresBinaries::complete);
            if (dir.isEmpty() || dir.get().equals(known)) {
                return;
            }
            Path temp = record.resolveSibling(FILE_NAME + ".tmp");
            Files.writeString(temp, ARCHIVE + archive + "\n" + DIRECTORY + dir.get() + "\n", StandardCharsets.UTF_8);
            Files.move(temp, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            LOG.debugf("the embedded PostgreSQL's binaries were not recorded (%s)", e.getClass().getSimpleName());
        }
    }

    /**
     * The library's generic archive for this system as the jar's directory describes it, or null
     * where there is none to describe (not Linux, not in a jar, sizes unknown). The library names
     * it {@code postgres-<system>-<architecture>.txz}; a distribution's own archive (Alpine's)
     * ships in a jar of the same version, so a change of one is a change of the other.
     */
    static String archiveIdentity() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return null;
        }
        String arch = System.getProperty("os.arch");
        String name = "postgres-linux-" + ("amd64".equals(arch) ? "x86_64" : arch) + ".txz";
        URL url = EmbeddedPostgres.class.getClassLoader().getResource(name);
        if (url == null) {
            return null;
        }
        try {
            URLConnection connection = url.openConnection();
            if (!(connection instanceof JarURLConnection jar)) {
                return null;
            }
            JarEntry entry = jar.getJarEntry();
            if (entry.getCrc() < 0 || entry.getSize() < 0) {
                return null;
            }
            return url + " crc32 " + Long.toHexString(entry.getCrc()) + " size " + entry.getSize();
        } catch (IOException e) {
            return null;
        }
    }

    /** The directory recorded for {@code archive}, if the record is for that archive. */
    private static Optional<Path> recorded(Path record, String archive) {
        List<String> lines;
        try {
            lines = Files.readAllLines(record, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException noneOrUnreadable) {
            return Optional.empty();
        }
        if (lines.size() != 2 || !lines.get(0).equals(ARCHIVE + archive) || !lines.get(1).startsWith(DIRECTORY)) {
            return Optional.empty();
        }
        Path dir = Path.of(lines.get(1).substring(DIRECTORY.length()));
        return dir.isAbsolute() ? Optional.of(dir) : Optional.empty();
    }

    /** Unpacked to the end (the library's marker, written last) with the programs a start runs. */
    private static boolean complete(Path dir) {
        return Files.isRegularFile(dir.resolve(".exists"))
                && Files.isExecutable(dir.resolve("bin/postgres"))
                && Files.isExecutable(dir.resolve("bin/pg_ctl"))
                && Files.isExecutable(dir.resolve("bin/initdb"));
    }

    /**
     * Puts {@code dir} in the library's cache under {@code key}; false where the library has no
     * such cache. Called on the thread that then starts the database, and the server's process
     * has no other user of the library.
     */
    private static boolean seed(PgBinaryResolver key, File dir) {
        try {
            Field field = EmbeddedPostgres.class.getDeclaredField(PREPARED);
            field.setAccessible(true);
            @SuppressWarnings("unchecked")
            Map<PgBinaryResolver, File> prepared = (Map<PgBinaryResolver, File>) field.get(null);
            prepared.put(key, dir);
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.debugf("the embedded PostgreSQL's binaries are located anew (%s)", e.getClass().getSimpleName());
            return false;
        }
    }
}
