package com.meltano.auth.gitlab;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * Whether GitLab answers its discovery document, checked before a browser is sent on a round trip:
 * quarkus-oidc, finding GitLab down, would only answer a bare 401. A success is remembered for a
 * minute, so a sign-in rarely waits for this check.
 */
@ApplicationScoped
public class GitLabReachability {

    private static final Logger LOG = Logger.getLogger(GitLabReachability.class);
    private static final Duration REMEMBER = Duration.ofMinutes(1);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Inject
    GitLabSettings settings;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private volatile Instant reachableUntil = Instant.MIN;

    public boolean reachable() {
        if (Instant.now().isBefore(reachableUntil)) {
            return true;
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(settings.url() + "/.well-known/openid-configuration"))
                    .timeout(TIMEOUT).GET().build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                reachableUntil = Instant.now().plus(REMEMBER);
                return true;
            }
            LOG.warnf("GitLab's discovery document answered HTTP %d", status);
        } catch (IOException e) {
            LOG.warnf("GitLab is not reachable: %s", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
