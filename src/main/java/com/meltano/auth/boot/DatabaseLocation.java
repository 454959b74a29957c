package com.meltano.auth.boot;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.StartupFailure;

import io.smallrye.config.SmallRyeConfig;

/**
 * Where this process finds its database (SPEC sections 2 and 11), for the server and for a command
 * alike: the external PostgreSQL when {@code quarkus.datasource.jdbc.url} is configured, else the
 * embedded one of {@code MELTANO_AUTH_DATA_DIR}. The server starts the embedded database and owns
 * it for its whole life; a command attaches to a live server's (never starting or stopping it),
 * or, when no server runs, starts it for its own duration.
 *
 * <p>The location found is handed to Quarkus as system properties, and in embedded mode the
 * key-encryption key kept in the data directory is used when none is configured. An embedded
 * database is located (locked, its password read, its port chosen) before it is started by
 * {@link #start()}: the server starts it while Quarkus initialises ({@link DatabaseStart}).
 */
final class DatabaseLocation implements AutoCloseable {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String USERNAME = "quarkus.datasource.username";
    static final String PASSWORD = "quarkus.datasource.password";
    static final String KEK_PROPERTY = "meltano.auth.key-encryption-key";

    private final String url;
    private final String user;
    private final String password;
    private final String keyEncryptionKey;
    /** The embedded database this process starts, stopped by {@link #close()}; null otherwise. */
    private final EmbeddedDatabase owned;

    private DatabaseLocation(String url, String user, String password, String keyEncryptionKey, EmbeddedDatabase owned) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.keyEncryptionKey = keyEncryptionKey;
        this.owned = owned;
    }

    static boolean external(SmallRyeConfig config) {
        return config.getOptionalValue(JDBC_URL, String.class).isPresent();
    }

    /** The server: the external database, or the embedded one, to {@link #start()} and own until {@link #close()}. */
    static DatabaseLocation forServer(SmallRyeConfig config, AuthConfig auth) throws IOException {
        return locate(config, auth, false);
    }

    /** A command: the external database, a live server's embedded one, or the embedded one to {@link #start()} and own until {@link #close()}. */
    static DatabaseLocation forCommand(SmallRyeConfig config, AuthConfig auth) throws IOException {
        return locate(config, auth, true);
    }

    private static DatabaseLocation locate(SmallRyeConfig config, AuthConfig auth, boolean mayAttach) throws IOException {
        String kek = auth.auth().keyEncryptionKey().orElse(null);
        if (external(config)) {
            return new DatabaseLocation(config.getValue(JDBC_URL, String.class),
                    config.getOptionalValue(USERNAME, String.class).orElse(null),
                    config.getOptionalValue(PASSWORD, String.class).orElse(null), kek, null);
        }
        Path dataDir = usableDataDir(auth.auth().dataDir());
        if (kek == null) {
            kek = DataDirKey.readOrCreate(dataDir);
            System.setProperty(KEK_PROPERTY, kek);
        }
        // a command running its own PostgreSQL is waited for, never attached to: it stops it when done
        Optional<DataDirLock.Owner> owner = mayAttach ? DataDirLock.liveOwner(dataDir).filter(o -> !o.command()) : Optional.empty();
        DatabaseLocation location;
        if (owner.isPresent()) {
            location = attach(dataDir, owner.get(), kek);
        } else {
            try {
                EmbeddedDatabase embedded = EmbeddedDatabase.prepare(dataDir, mayAttach);
                location = new DatabaseLocation(embedded.jdbcUrl(), embedded.user(), embedded.password(), kek, embedded);
            } catch (StartupFailure busy) {
                // a server took the data directory after the look above: use its database after all
                // (only if the lock was not ours: probing a lock this process holds would release it)
                Optional<DataDirLock.Owner> late = mayAttach && !DataDirLock.heldHere()
                        ? DataDirLock.liveOwner(dataDir).filter(o -> !o.command()) : Optional.empty();
                if (late.isEmpty()) {
                    throw busy;
                }
                location = attach(dataDir, late.get(), kek);
            }
        }
        System.setProperty(JDBC_URL, location.url);
        System.setProperty(USERNAME, location.user);
        System.setProperty(PASSWORD, location.password);
        return location;
    }

    /** The data directory, made if missing; one line naming the variable when it cannot be. */
    private static Path usableDataDir(String configured) {
        Path dir;
        try {
            dir = Path.of(configured).toAbsolutePath();
        } catch (InvalidPathException e) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "is not a valid path");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileAlreadyExistsException e) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", dir + " is a file, not a directory");
        } catch (IOException e) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", dir + " cannot be created (" + e.getClass().getSimpleName() + ")");
        }
        if (!Files.isWritable(dir)) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", dir + " is not writable by this user");
        }
        return dir;
    }

    /** A live server's embedded database: never started or stopped here. */
    private static DatabaseLocation attach(Path dataDir, DataDirLock.Owner owner, String kek) throws IOException {
        if (owner.databasePort().isEmpty()) {
            throw new StartupFailure("MELTANO_AUTH_DATA_DIR", "the server owning " + dataDir
                    + " has not started its database yet; try again in a moment");
        }
        return new DatabaseLocation(EmbeddedDatabase.jdbcUrl(owner.databasePort().getAsInt()), DatabasePassword.USER,
                DatabasePassword.readExisting(dataDir), kek, null);
    }

    /** Starts the embedded database this process owns (nothing to do for another one); blocks until it requires its password. */
    void start() throws IOException {
        if (owned != null) {
            owned.start();
        }
    }

    String url() {
        return url;
    }

    String user() {
        return user;
    }

    String password() {
        return password;
    }

    String keyEncryptionKey() {
        return keyEncryptionKey;
    }

    /** Stops the embedded database if this process started it; never one a live server owns. */
    @Override
    public void close() {
        if (owned != null) {
            try {
                owned.close();
            } catch (RuntimeException ignored) {
                // shutting down anyway; a postmaster left running is stopped cleanly at the next start
            }
        }
    }

    @Override
    public String toString() {
        return "DatabaseLocation[" + url + (owned != null ? ", started here" : "") + "]";
    }
}
