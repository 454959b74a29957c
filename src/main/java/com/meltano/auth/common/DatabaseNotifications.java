package com.meltano.auth.common;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * How a replica learns at once what another replica changed: PostgreSQL {@code LISTEN/NOTIFY} on
 * one connection of its own for every {@link Subscriber}. A notification is sent inside the
 * changing transaction and delivered to every replica only when it commits, so a subscriber that
 * reloads on receipt always reads the change. A dropped connection can lose notifications:
 * subscribers hear {@link Subscriber#disconnected()} and, once it is back,
 * {@link Subscriber#connected()}, and must then assume they missed anything.
 */
@ApplicationScoped
public class DatabaseNotifications {

    private static final Logger LOG = Logger.getLogger(DatabaseNotifications.class);

    /** A per-replica cache that follows one channel. Called on the listener's own thread. */
    public interface Subscriber {

        /** A constant PostgreSQL identifier. */
        String channel();

        /** Listening (again): whatever happened before may have been missed. */
        void connected();

        /** Notifications that arrived together, in commit order. */
        void received(List<String> payloads);

        /** No longer listening: nothing is delivered until {@link #connected()}. */
        void disconnected();
    }

    @Inject
    Instance<Subscriber> subscribers;

    @Inject
    Sql db;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @ConfigProperty(name = "quarkus.datasource.username")
    Optional<String> username;

    @ConfigProperty(name = "quarkus.datasource.password")
    Optional<String> password;

    private volatile boolean stopped;
    private Thread listener;

    void onStart(@Observes ServingStarted event) {
        listener = new Thread(this::listen, "database-notifications");
        listener.setDaemon(true);
        listener.start();
    }

    @PreDestroy
    void stop() {
        stopped = true;
        if (listener != null) {
            listener.interrupt();
        }
    }

    /** Sends {@code payload} on {@code channel} when the caller's transaction commits (to every replica, this one included). */
    public void notifyAfterCommit(String channel, String payload) {
        db.query("select pg_notify(?1, ?2)").bind(1, channel).bind(2, payload).single();
    }

    private void listen() {
        try {
            listenUntilStopped();
        } catch (RuntimeException e) {
            // a start that failed after serving started (its HTTP port taken, say) stops the
            // application while this thread resolves the subscribers: their beans are gone
            if (!stopped) {
                LOG.errorf("database notification listener stopped (%s); caches follow other replicas only at their next start",
                        e.getClass().getSimpleName());
            }
        }
    }

    private void listenUntilStopped() {
        List<Subscriber> all = subscribers.stream().toList();
        while (!stopped) {
            try (Connection c = DriverManager.getConnection(jdbcUrl, username.orElse(null), password.orElse(null));
                    Statement st = c.createStatement()) {
                for (String channel : all.stream().map(Subscriber::channel).distinct().toList()) {
                    st.execute("LISTEN " + channel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                all.forEach(s -> safely(s, Subscriber::connected));
                long lastCheck = System.nanoTime();
                while (!stopped) {
                    PGNotification[] notes = pg.getNotifications(5_000);
                    if (notes == null || notes.length == 0) {
                        // a silently dropped connection delivers nothing: prove it is alive now and then
                        if (System.nanoTime() - lastCheck > TimeUnit.SECONDS.toNanos(30)) {
                            st.execute("select 1");
                            lastCheck = System.nanoTime();
                        }
                        continue;
                    }
                    Map<String, List<String>> byChannel = new LinkedHashMap<>();
                    for (PGNotification n : notes) {
                        byChannel.computeIfAbsent(n.getName(), k -> new ArrayList<>()).add(n.getParameter());
                    }
                    for (Subscriber s : all) {
                        List<String> payloads = byChannel.get(s.channel());
                        if (payloads != null) {
                            safely(s, x -> x.received(payloads));
                        }
                    }
                }
            } catch (SQLException e) {
                if (!stopped && DatabaseOutage.isUnavailable(e)) {
                    DatabaseOutage.failed(e); // one line for the whole outage, not one per reconnection attempt
                } else if (!stopped) {
                    LOG.warnf("database notification listener lost its connection (%s); caches fall back until it is back",
                            e.getSQLState());
                }
            } finally {
                all.forEach(s -> safely(s, Subscriber::disconnected));
            }
            sleepQuietly();
        }
    }

    /** One subscriber's failure (its database read failed, say) must not silence the others. */
    private void safely(Subscriber s, java.util.function.Consumer<Subscriber> call) {
        if (stopped) {
            return; // the application is stopping: its beans may no longer be created
        }
        try {
            call.accept(s);
        } catch (RuntimeException e) {
            if (!stopped) {
                LOG.warnf("a cache failed to handle a database notification: %s", e.getClass().getSimpleName());
            }
        }
    }

    private void sleepQuietly() {
        try {
            TimeUnit.SECONDS.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }
}
