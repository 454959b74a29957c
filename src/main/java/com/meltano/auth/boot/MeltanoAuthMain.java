package com.meltano.auth.boot;

import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;

import com.meltano.auth.cli.CommandLineApplication;
import com.meltano.auth.common.RunMode;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.StartupFailure;
import com.meltano.auth.keys.KeyEncryption;
import com.meltano.auth.keys.KeyEncryptionKey;

import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.QuarkusBindException;
import io.quarkus.runtime.annotations.QuarkusMain;
import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * The launcher. Without arguments it is the server; with arguments, one command of the command
 * line (SPEC section 11) in the same jar. Before Quarkus starts it validates SPEC section 3 (a bad
 * variable gives one line and exit status 1, not a framework stack trace) and finds the database
 * ({@link DatabaseLocation}). The database is then started, and checked (it answers, and the
 * key-encryption key opens the stored keys), by {@link DatabaseStart}: before Quarkus runs for a
 * command, while it initialises for the server.
 */
@QuarkusMain
public class MeltanoAuthMain {

    public static void main(String... args) {
        if (ApplicationLifecycleManager.isAppCDSGeneration()) {
            StaticInit.recordArchive();
            System.exit(0);
            return;
        }
        boolean command = args.length > 0;
        if (command) {
            CommandLineLogging.toStandardErrorWarningsOnly();
            // --help, --version and usage errors need neither the database nor Quarkus
            OptionalInt early = CommandLineApplication.answerWithoutRunning(args);
            if (early.isPresent()) {
                System.exit(early.getAsInt());
                return;
            }
            System.setProperty("quarkus.http.host-enabled", "false");
            System.setProperty("quarkus.scheduler.enabled", "false");
        }
        System.setProperty(RunMode.COMMAND_LINE, Boolean.toString(command));
        // The HTTP layer checks the request target itself and answers a malformed one with a bare
        // 400 before any route runs; web.InputHygiene makes the same check, answering in the shape
        // of the path (SPEC section 9, "Input hygiene"). Read once, when the HTTP layer loads.
        System.setProperty("vertx.disableURIValidation", "true");
        // the properties above are read during static initialisation; what follows is only at run time
        StaticInit staticInit = StaticInit.startInBackground();
        DatabaseLocation database = null;
        DatabaseStart databaseStart;
        try {
            SmallRyeConfig config = buildConfig();
            AuthConfig auth = config.getConfigMapping(AuthConfig.class);
            String httpHost = config.getOptionalValue("quarkus.http.host", String.class).orElse("0.0.0.0");
            List<String> problems = AuthConfigValidator.problems(auth, DatabaseLocation.external(config), httpHost);
            if (!command) {
                problems.addAll(AuthConfigValidator.listenProblems(config.getOptionalValue("quarkus.http.port", String.class), httpHost));
            }
            if (!problems.isEmpty()) {
                problems.forEach(System.err::println);
                System.exit(1);
                return;
            }
            database = command ? DatabaseLocation.forCommand(config, auth) : DatabaseLocation.forServer(config, auth);
            // with a PKCS#11 token and an external database there may be no software key: the server checks in the token
            KeyEncryption encryption = database.keyEncryptionKey() == null ? null
                    : new KeyEncryption(KeyEncryptionKey.parse(database.keyEncryptionKey()),
                            auth.auth().keyEncryptionKeyPrevious().map(KeyEncryptionKey::parse));
            DatabaseLocation located = database;
            DatabaseStart.Work work = () -> {
                located.start();
                Preflight.check(located.url(), located.user(), located.password(), encryption);
            };
            if (command) {
                // a command's output follows its own checks: nothing to overlap with
                work.run();
                databaseStart = DatabaseStart.done();
            } else {
                // the server starts its database while Quarkus initialises (SchemaMigration waits for it)
                databaseStart = DatabaseStart.inBackground(() -> {
                    work.run();
                    PoolWarmUp.run();
                });
            }
        } catch (Exception e) {
            System.err.println(named(e).getMessage());
            closeQuietly(database);
            System.exit(1);
            return;
        }
        staticInit.await();
        run(command ? CommandLineApplication.class : Server.class, database, databaseStart, staticInit.failure(), args);
    }

    /**
     * A failure before the server runs, as its one line: a {@link StartupFailure} as it is, any
     * other by its kind only (framework messages may quote configuration values).
     */
    static StartupFailure named(Throwable e) {
        StartupFailure described = described(e);
        return described != null ? described
                : new StartupFailure("meltano-auth: cannot start (" + e.getClass().getSimpleName() + ")");
    }

    /**
     * A failure that can be told as one line naming its variable: a {@link StartupFailure}, or the
     * HTTP port held by another program (the only port this server listens on); {@code null} for any other.
     */
    private static StartupFailure described(Throwable e) {
        if (e instanceof StartupFailure f) {
            return f;
        }
        if (e instanceof QuarkusBindException taken) {
            return new StartupFailure("QUARKUS_HTTP_PORT", "port " + taken.getPort() + " on " + taken.getHost()
                    + " is in use by another program");
        }
        return null;
    }

    /** Runs Quarkus with {@code application}; the embedded database this process started stops after Quarkus. */
    private static void run(Class<? extends QuarkusApplication> application, DatabaseLocation database,
            DatabaseStart databaseStart, Throwable staticInitFailure, String... args) {
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
        Quarkus.run(application, (status, failure) -> {
            // the database may still be starting when Quarkus failed: its outcome first
            databaseStart.await();
            if (failure != null) {
                // this handler replaces the one that would log it: never end without a line (which
                // names the kind of failure only: framework messages may quote configuration values)
                // a failed static initialisation surfaces here as "could not initialize class": name
                // its cause; a failed database start, first of all (whatever failed with it)
                Throwable root = databaseStart.failure() != null ? databaseStart.failure()
                        : staticInitFailure != null ? staticInitFailure : failure;
                StartupFailure named = described(root);
                while (root.getCause() != null && root.getCause() != root) {
                    root = root.getCause();
                    named = named == null ? described(root) : named;
                }
                // a StartupFailure's message is one line naming the variable and never a secret (its contract)
                System.err.println((named != null ? named : named(root)).getMessage());
            }
            closeQuietly(database);
            if (exiting.compareAndSet(false, true)) {
                System.exit(status);
            }
        }, args);
    }

    /** Conversion errors surface while the mapping is built: turn them into one line per variable. */
    static SmallRyeConfig buildConfig() {
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

    private static void closeQuietly(DatabaseLocation database) {
        if (database != null) {
            database.close();
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
