package com.meltano.auth.ops;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.meltano.auth.oauth2.client.ClientOrigins;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS exactly as SPEC section 4 says: the token, revocation and userinfo endpoints answer the
 * origins of registered redirect URIs; JWKS and discovery answer any origin; nothing else (the
 * authorization endpoint above all) answers CORS. No credentials are ever allowed cross-origin.
 */
@ApplicationScoped
public class Cors {

    static final Set<String> CLIENT_ORIGIN_PATHS = Set.of("/oauth2/token", "/oauth2/revoke", "/userinfo");
    static final Set<String> PUBLIC_PATHS = Set.of("/oauth2/jwks", "/.well-known/openid-configuration",
            "/.well-known/oauth-authorization-server");

    @Inject
    ClientOrigins origins;

    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE + 2).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        String path = ctx.normalizedPath();
        String allow = origin == null ? null
                : PUBLIC_PATHS.contains(path) ? "*"
                : CLIENT_ORIGIN_PATHS.contains(path) && origins.allowed(origin) ? origin
                : null;
        if (allow == null) {
            ctx.next();
            return;
        }
        if (ctx.request().method() == HttpMethod.OPTIONS && ctx.request().getHeader("Access-Control-Request-Method") != null) {
            ctx.response().setStatusCode(204)
                    .putHeader("Access-Control-Allow-Origin", allow)
                    .putHeader("Access-Control-Allow-Methods", "GET, POST")
                    .putHeader("Access-Control-Allow-Headers", "Authorization, Content-Type")
                    .putHeader("Access-Control-Max-Age", "600")
                    .putHeader("Vary", "Origin")
                    .end();
            return;
        }
        ctx.addHeadersEndHandler(v -> ctx.response()
                .putHeader("Access-Control-Allow-Origin", allow)
                .putHeader("Vary", "Origin"));
        ctx.next();
    }
}
