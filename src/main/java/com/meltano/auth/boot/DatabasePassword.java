package com.meltano.auth.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.List;
import java.util.Properties;

import org.jboss.logging.Logger;
import org.postgresql.util.PasswordUtil;

import com.meltano.auth.config.StartupFailure;

/**
 * SPEC section 2: the embedded PostgreSQL accepts no connection without a credential. Its
 * superuser's password is generated at first start into {@value #FILE_NAME} (owner-only, beside
 * the key-encryption key) and every line of {@code pg_hba.conf} asks for it with
 * {@value #METHOD}. A new data directory is created that way by initdb; one created before
 * (trust for every local connection) is upgraded at its next start.
 *
 * <p>The password's verifier is stretched with {@value #SCRAM_ITERATIONS} iterations, not the 4096
 * PostgreSQL 14 uses for the passwords people choose: stretching slows the guessing of a password
 * from a stolen verifier, and this one is 32 random bytes, out of reach of guessing at any count.
 * The client computes the stretch at every connection: at 4096 iterations, 0.3 s of CPU for each
 * of the first connections of a start (until the JIT has compiled it), 10 ms for each later one.
 */
final class DatabasePassword {

    static final String FILE_NAME = "postgres-password";
    static final String METHOD = "scram-sha-256";
    static final String USER = "postgres";
    static final int SCRAM_ITERATIONS = 16;

    private static final Logger LOG = Logger.getLogger(DatabasePassword.class);
    private static final String NOT_REQUIRING =
            "select count(*) from pg_hba_file_rules where error is not null or auth_method <> '" + METHOD + "'";
    /** The iteration count of the superuser's verifier (SCRAM-SHA-256$iterations:salt$keys), empty for another kind. */
    private static final String VERIFIER_ITERATIONS = "select coalesce(substring(rolpassword from '^SCRAM-SHA-256\\$([0-9]+):'), '')"
            + " from pg_authid where rolname = '" + USER + "'";
    private static final String HBA = """
            # Written by Meltano Auth: every way in asks for the password kept in the data directory.
            # TYPE  DATABASE        USER            ADDRESS                 METHOD
            local   all             all                                     scram-sha-256
            host    all             all             127.0.0.1/32            scram-sha-256
            host    all             all             ::1/128                 scram-sha-256
            local   replication     all                                     scram-sha-256
            host    replication     all             127.0.0.1/32            scram-sha-256
            host    replication     all             ::1/128                 scram-sha-256
            """;

    private DatabasePassword() {
    }

    /**
     * The password, generated when missing: for a data directory about to be created, or for one
     * still trusting local connections (which the upgrade then protects with it). A data directory
     * that asks for a password whose file is gone cannot be opened: that stops the start.
     */
    static String readOrCreate(Path dataDir, Path pgData, boolean initialised) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (initialised && !Files.exists(file) && !trustsSomeone(pgData.resolve("pg_hba.conf"))) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", file + " is missing: the embedded database in "
                    + pgData + " accepts no connection without the password it held (restore the file from a backup)");
        }
        return OwnerOnlyFile.readOrCreate(file, 32, Base64.getUrlEncoder().withoutPadding());
    }

    /** The password of a live server's embedded database, for a process attaching to it (the command line). */
    static String readExisting(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.isReadable(file)) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", file + " is missing or unreadable: cannot open the running server's database");
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }

    /**
     * Makes every line of {@code pg_hba.conf} ask for the password, if one does not: sets the
     * password while the old rules still let us in, replaces the file, reloads, checks that a
     * wrong password is refused, then ends any session opened under the old rules.
     */
    static void requireOnEveryConnection(String jdbcUrl, String password) throws SQLException, IOException {
        try (Connection c = DriverManager.getConnection(jdbcUrl, properties(password));
                Statement s = c.createStatement()) {
            if (!single(s, VERIFIER_ITERATIONS).equals(Integer.toString(SCRAM_ITERATIONS))) {
                setVerifier(s, password);
            }
            if (single(s, NOT_REQUIRING).equals("0")) {
                return;
            }
            LOG.info("the embedded PostgreSQL trusted local connections: it now requires the password kept in the data directory");
            Path hba = Path.of(single(s, "select setting from pg_settings where name = 'hba_file'"));
            OwnerOnlyFile.replace(hba, HBA);
            s.execute("select pg_reload_conf()");
            awaitWrongPasswordRefused(jdbcUrl);
            s.execute("select pg_terminate_backend(pid) from pg_stat_activity"
                    + " where pid <> pg_backend_pid() and backend_type = 'client backend'");
            if (!single(s, NOT_REQUIRING).equals("0")) {
                throw new StartupFailure("MELTANO_AUTH_DATA_DIR", hba + " could not be made to require a password");
            }
        }
    }

    /**
     * Sets the password as a verifier of {@value #SCRAM_ITERATIONS} iterations, computed here by
     * the driver: the password itself never reaches the server or its log.
     */
    private static void setVerifier(Statement s, String password) throws SQLException {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        String verifier = PasswordUtil.encodeScramSha256(password.toCharArray(), SCRAM_ITERATIONS, salt);
        s.execute("alter role " + USER + " password '" + verifier + "'");
    }

    /** Whether the start failed because the server refused the password (SQLSTATE 28P01). */
    static boolean refused(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SQLException e && "28P01".equals(e.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static Properties properties(String password) {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        return props;
    }

    /** The reload is asynchronous: new rules hold once a wrong password is refused. */
    private static void awaitWrongPasswordRefused(String jdbcUrl) {
        byte[] raw = new byte[24];
        new SecureRandom().nextBytes(raw);
        String wrong = Base64.getUrlEncoder().encodeToString(raw);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Connection ignored = DriverManager.getConnection(jdbcUrl, properties(wrong))) {
                Thread.sleep(50);
            } catch (SQLException refusedNow) {
                if ("28P01".equals(refusedNow.getSQLState())) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "the embedded PostgreSQL still accepts a wrong password after its pg_hba.conf was replaced");
    }

    /** Whether a rule of an existing pg_hba.conf lets anyone in without a credential. */
    private static boolean trustsSomeone(Path hba) throws IOException {
        if (!Files.exists(hba)) {
            return false;
        }
        for (String line : Files.readAllLines(hba, StandardCharsets.UTF_8)) {
            String rule = line.replaceFirst("#.*", "").trim();
            if (!rule.isEmpty() && List.of(rule.split("\\s+")).contains("trust")) {
                return true;
            }
        }
        return false;
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
