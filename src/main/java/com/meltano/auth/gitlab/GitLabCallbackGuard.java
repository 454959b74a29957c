package com.meltano.auth.gitlab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * A GitLab callback is only honoured in the browser that started that round trip: quarkus-oidc
 * keeps each round trip's state in a cookie named after the {@code state} value. A callback whose
 * {@code state} has no such cookie (another browser's, or one already used) would otherwise make
 * quarkus-oidc quietly start a new round trip; it gets our error page instead, before anything is
 * exchanged with GitLab.
 */
@ApplicationScoped
public class GitLabCallbackGuard {

    static final String STATE_COOKIE_PREFIX = "q_auth_" + GitLabTenant.TENANT_ID + "_";

    void install(@Observes Router router) {
        router.get(GitLabSettings.CALLBACK_PATH).order(Integer.MIN_VALUE + 10).handler(this::check);
    }

    private void check(RoutingContext ctx) {
        String state = ctx.request().getParam("state");
        if (state == null || state.isEmpty() || ctx.request().getCookie(STATE_COOKIE_PREFIX + state) == null) {
            ctx.reroute(GitLabSettings.REFUSED_PATH);
        } else {
            ctx.next();
        }
    }
}
