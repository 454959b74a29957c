package com.meltano.auth.ops;

import java.util.Map;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.common.ProtocolEndpoint.CrossOrigin;
import com.meltano.auth.oauth2.client.ClientOrigins;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * CORS exactly as SPEC section 4 says: the token, revocation and userinfo endpoints answer the
 * origins of registered redirect URIs; JWKS and discovery answer any origin; nothing else (the
 * authorization endpoint above all) answers CORS. No credentials are ever allowed cross-origin.
 * Which path answers which origins is what each endpoint says of itself ({@link ProtocolEndpoint}).
 */
@ApplicationScoped
public class Cors {

    @Inject
    ClientOrigins origins;

    @Inject
    Instance<ProtocolEndpoint> endpoints;

    /** Only the paths that answer CORS at all; every other path is left alone. */
    private Map<String, CrossOrigin> byPath = Map.of();

    void install(@Observes Router router) {
        byPath = endpoints.stream().filter(e -> e.crossOrigin() != CrossOrigin.NONE)
                .collect(Collectors.toUnmodifiableMap(ProtocolEndpoint::path, ProtocolEndpoint::crossOrigin));
        router.route().order(Integer.MIN_VALUE + 2).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        String origin = ctx.request().getHeader("Origin");
        CrossOrigin policy = origin == null ? null : byPath.get(ctx.normalizedPath());
        String allow = policy == CrossOrigin.ANY_ORIGIN ? "*"
                : policy == CrossOrigin.REGISTERED_ORIGINS && origins.allowed(origin) ? origin
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
