package com.meltano.auth.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;

/**
 * A start remembers where the embedding library's PostgreSQL binaries are, so the next one does
 * not locate them again (reading the 14 MB archive from the class path), and takes the library's
 * own way whenever the record cannot be trusted. Real PostgreSQL starts, real files. Linux only,
 * as the record is (elsewhere the library locates its binaries at every start, as it always did).
 */
@EnabledOnOs(OS.LINUX)
class PostgresBinariesTest {

    @TempDir
    Path dataDir;

    /** The library's resolver, counting how often the library asks it for the archive. */
    private static final class CountingResolver implements PgBinaryResolver {
        final AtomicInteger asked = new AtomicInteger();

        @Override
        public java.io.InputStream getPgBinary(String system, String machineHardware) throws IOException {
            asked.incrementAndGet();
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
    }

    @Test
    void secondStartWhenBinariesRecordedThenArchiveNotReadAgain() throws Exception {
        CountingResolver first = new CountingResolver();
        PostgresBinaries firstStart = PostgresBinaries.forStart(dataDir, first);
        assertThat(firstStart.known()).as("nothing recorded yet").isFalse();
        startQueryStop(firstStart);
        assertThat(first.asked).as("the first start located the binaries through the library").hasValue(1);

        List<String> record = Files.readAllLines(dataDir.resolve(PostgresBinaries.FILE_NAME));
        assertThat(record).hasSize(2);
        assertThat(record.get(0)).startsWith("archive=").contains("postgres-linux-").contains(" crc32 ");
        assertThat(recordedDirectory(dataDir).resolve("bin/postgres")).isExecutable();

        CountingResolver second = new CountingResolver();
        PostgresBinaries secondStart = PostgresBinaries.forStart(dataDir, second);
        assertThat(secondStart.known()).isTrue();
        startQueryStop(secondStart);
        assertThat(second.asked).as("the second start read no archive").hasValue(0);
    }

    @Test
    void recordOfAnotherArchiveThenLibraryLocatesTheBinariesItself() throws Exception {
        Path binaries = recordedBinaries();
        Files.writeString(dataDir.resolve(PostgresBinaries.FILE_NAME),
                "archive=" + PostgresBinaries.archiveIdentity().replaceFirst("crc32 [0-9a-f]+", "crc32 0") + "\n"
                        + "directory=" + binaries + "\n", StandardCharsets.UTF_8);

        assertThat(PostgresBinaries.forStart(dataDir, new CountingResolver()).known()).isFalse();
    }

    @Test
    void recordedDirectoryIncompleteThenLibraryLocatesTheBinariesItself() throws Exception {
        Path incomplete = Files.createDirectories(dataDir.resolve("unpacked/bin"));
        Files.createFile(incomplete.getParent().resolve(".exists"));
        Files.writeString(dataDir.resolve(PostgresBinaries.FILE_NAME),
                "archive=" + PostgresBinaries.archiveIdentity() + "\ndirectory=" + incomplete.getParent() + "\n",
                StandardCharsets.UTF_8);

        assertThat(PostgresBinaries.forStart(dataDir, new CountingResolver()).known()).isFalse();
    }

    @Test
    void recordUnreadableOrRelativeThenLibraryLocatesTheBinariesItself() throws Exception {
        Path record = dataDir.resolve(PostgresBinaries.FILE_NAME);
        Files.writeString(record, "archive=" + PostgresBinaries.archiveIdentity() + "\ndirectory=relative/dir\n");
        assertThat(PostgresBinaries.forStart(dataDir, new CountingResolver()).known()).isFalse();

        Files.writeString(record, "half a line");
        assertThat(PostgresBinaries.forStart(dataDir, new CountingResolver()).known()).isFalse();
    }

    /** The binaries as a start records them (the library unpacks them on first use). */
    private Path recordedBinaries() throws Exception {
        Path otherData = Files.createTempDirectory(dataDir, "first");
        PostgresBinaries start = PostgresBinaries.forStart(otherData, new CountingResolver());
        startQueryStop(start, otherData);
        return recordedDirectory(otherData);
    }

    /** The directory a start recorded in {@code dir}'s record (its second line). */
    private static Path recordedDirectory(Path dir) throws IOException {
        List<String> record = Files.readAllLines(dir.resolve(PostgresBinaries.FILE_NAME));
        return Path.of(record.get(1).substring("directory=".length()));
    }

    private void startQueryStop(PostgresBinaries binaries) throws Exception {
        startQueryStop(binaries, dataDir);
    }

    private static void startQueryStop(PostgresBinaries binaries, Path dir) throws Exception {
        Path pgData = dir.resolve("postgres");
        try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
                .setPgBinaryResolver(binaries.resolver())
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setRegisterShutdownHook(false)
                .start()) {
            try (Connection c = pg.getPostgresDatabase().getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select 1")) {
                assertThat(rs.next()).isTrue();
            }
            binaries.remember(pgData);
        }
    }
}
