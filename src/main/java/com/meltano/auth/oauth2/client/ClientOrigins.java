package com.meltano.auth.oauth2.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.meltano.auth.common.BackgroundJob;
import com.meltano.auth.common.ServingStarted;
import com.meltano.auth.common.Sql;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * The web origins of all registered redirect URIs, the only origins allowed to call the token,
 * revocation and userinfo endpoints from a browser (SPEC section 4). Held in memory so that the
 * CORS check never blocks an event-loop thread; refreshed every 10 s on every replica.
 */
@ApplicationScoped
public class ClientOrigins {

    @Inject
    Sql db;

    private volatile Set<String> origins = Set.of();

    void onStart(@Observes ServingStarted event) {
        refresh();
    }

    @BackgroundJob
    @Scheduled(every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void refresh() {
        List<String> uris = QuarkusTransaction.requiringNew().call(() -> db.query(
                "select distinct unnest(redirect_uris) from client where enabled").list());
        Set<String> out = new HashSet<>();
        for (String uri : uris) {
            String origin = originOf(uri);
            if (origin != null) {
                out.add(origin);
            }
        }
        origins = Set.copyOf(out);
    }

    public boolean allowed(String origin) {
        return origin != null && origins.contains(origin);
    }

    /** RFC 6454 serialization for http(s) URIs; null for private-use schemes (they have no web origin). */
    static String originOf(String uri) {
        try {
            URI u = new URI(uri);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || u.getHost() == null) {
                return null;
            }
            boolean defaultPort = u.getPort() < 0 || scheme.equals("https") && u.getPort() == 443 || scheme.equals("http") && u.getPort() == 80;
            return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + u.getPort());
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
