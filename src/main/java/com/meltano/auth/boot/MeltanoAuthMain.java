package com.meltano.auth.boot;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.StartupFailure;
import com.meltano.auth.keys.KeyEncryption;
import com.meltano.auth.keys.KeyEncryptionKey;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The launcher. Before Quarkus starts it validates SPEC section 3 (a bad variable gives one line
 * and exit status 1, not a framework stack trace), starts the embedded PostgreSQL when no external
 * database is configured, and checks that the database answers and that the key-encryption key
 * opens the stored keys.
 */
@QuarkusMain
public class MeltanoAuthMain {

    static final String JDBC_URL = "quarkus.datasource.jdbc.url";
    static final String KEK_PROPERTY = "meltano.auth.key-encryption-key";

    public static void main(String... args) {
        EmbeddedDatabase embedded = null;
        // The HTTP layer checks the request target itself and answers a malformed one with a bare
        // 400 before any route runs; web.InputHygiene makes the same check, answering in the shape
        // of the path (SPEC section 9, "Input hygiene"). Read once, when the HTTP layer loads.
        System.setProperty("vertx.disableURIValidation", "true");
        try {
            SmallRyeConfig config = buildConfig();
            AuthConfig auth = config.getConfigMapping(AuthConfig.class);
            Optional<String> externalUrl = config.getOptionalValue(JDBC_URL, String.class);
            String httpHost = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
            List<String> problems = AuthConfigValidator.problems(auth, externalUrl.isPresent(), httpHost);
            if (!problems.isEmpty()) {
                problems.forEach(System.err::println);
                System.exit(1);
                return;
            }

            String kek = auth.auth().keyEncryptionKey().orElse(null);
            String url;
            String user;
            String password;
            if (externalUrl.isPresent()) {
                url = externalUrl.get();
                user = config.getOptionalValue("quarkus.datasource.username", String.class).orElse(null);
                password = config.getOptionalValue("quarkus.datasource.password", String.class).orElse(null);
            } else {
                Path dataDir = Path.of(auth.auth().dataDir()).toAbsolutePath();
                if (kek == null) {
                    kek = DataDirKey.readOrCreate(dataDir);
                    System.setProperty(KEK_PROPERTY, kek);
                }
                embedded = EmbeddedDatabase.start(dataDir);
                url = embedded.jdbcUrl();
                user = embedded.user();
                password = embedded.password();
                System.setProperty(JDBC_URL, url);
                System.setProperty("quarkus.datasource.username", user);
                System.setProperty("quarkus.datasource.password", password);
            }
            KeyEncryption encryption = new KeyEncryption(KeyEncryptionKey.parse(kek),
                    auth.auth().keyEncryptionKeyPrevious().map(KeyEncryptionKey::parse));
            Preflight.check(url, user, password, encryption);
        } catch (StartupFailure e) {
            System.err.println(e.getMessage());
            closeQuietly(embedded);
            System.exit(1);
            return;
        } catch (Exception e) {
            // framework messages may quote configuration values: name the kind of failure only
            System.err.println("meltano-auth: cannot start (" + e.getClass().getSimpleName() + ")");
            closeQuietly(embedded);
            System.exit(1);
            return;
        }

        EmbeddedDatabase database = embedded;
        // On SIGTERM every shutdown hook starts at once; ours waits for the main thread, which
        // stops the embedded PostgreSQL only after Quarkus has stopped using it.
        AtomicBoolean exiting = new AtomicBoolean();
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (exiting.compareAndSet(false, true)) {
                try {
                    main.join(30_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, "meltano-auth-shutdown"));
        Quarkus.run(Server.class, (status, failure) -> {
            if (failure != null) {
                // this handler replaces the one that would log it: never end without a line (which
                // names the kind of failure only: framework messages may quote configuration values)
                Throwable root = failure;
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                }
                System.err.println("meltano-auth: cannot start (" + root.getClass().getSimpleName() + ")");
            }
            closeQuietly(database);
            if (exiting.compareAndSet(false, true)) {
                System.exit(status);
            }
        }, args);
    }

    /** Conversion errors surface while the mapping is built: turn them into one line per variable. */
    private static SmallRyeConfig buildConfig() {
        try {
            return new SmallRyeConfigBuilder()
                    .addDefaultSources()
                    .addDiscoveredConverters()
                    .withMapping(AuthConfig.class)
                    .build();
        } catch (ConfigValidationException e) {
            throw new StartupFailure(ConfigErrors.describe(e));
        }
    }

    private static void closeQuietly(EmbeddedDatabase database) {
        if (database != null) {
            try {
                database.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
        }
    }

    /** Runs until the process is asked to stop. */
    public static class Server implements QuarkusApplication {
        @Override
        public int run(String... args) {
            Quarkus.waitForExit();
            return 0;
        }
    }
}
