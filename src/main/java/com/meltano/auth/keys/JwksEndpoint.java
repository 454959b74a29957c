package com.meltano.auth.keys;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.web.ErrorReply;
import com.meltano.auth.web.ResponseShape;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The JWKS (RFC 7517 section 5): public parts only, served from a document serialized once per
 * key change. {@code max-age} is half the staging period and at most {@link #MAX_AGE_CAP}: a copy
 * kept by a verifier or an HTTP cache has expired before a staged key signs, and also before an
 * {@code activate_now} key does ({@link KeyRotation#ACTIVATE_NOW_DELAY} is longer than this cap
 * plus the replicas' fallback reload), so even a verifier that does not refetch on an unknown
 * {@code kid}, but honours {@code max-age}, never refuses a token of ours.
 *
 * <p>Served by a route of the HTTP layer, not a JAX-RS resource: every verifier of every
 * downstream service fetches it, and the JAX-RS stack took half of the time of each answer
 * (README, "Side by side"). The edge handlers (body limit, input hygiene, CORS) still run before it.
 *
 * <p>Left out of the HTTP layer's request timers ({@code http_server_requests_seconds}, see
 * {@code application.properties}): registering and recording a timer per answer took a sixth of
 * its throughput. What is served is counted here instead ({@code meltano_auth_jwks_requests_total}),
 * for the price of one increment.
 */
@ApplicationScoped
public class JwksEndpoint {

    public static final String PATH = "/oauth2/jwks";

    /** Discovery's {@code jwks_uri}; any origin may read public keys (SPEC section 4). */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("jwks_uri", PATH, ProtocolEndpoint.CrossOrigin.ANY_ORIGIN);

    static final Duration MAX_AGE_CAP = Duration.ofSeconds(10);

    /** The registered media type of a JWK Set (RFC 7517 section 8.5); plain JSON to a client that asks for it only. */
    static final String JWK_SET = "application/jwk-set+json";

    private static final String JSON = "application/json";
    private static final String ALLOWED = "GET, HEAD, OPTIONS";

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @Inject
    MeterRegistry registry;

    private final LongAdder served = new LongAdder();

    private String cacheControl;

    /** The document last served and its bytes, encoded once per key change. */
    private volatile Encoded encoded = new Encoded("", Buffer.buffer(), "0");

    /** A Vert.x buffer can be written any number of times: each write takes a slice of it. */
    private record Encoded(String json, Buffer body, String length) {
    }

    void install(@Observes Router router) {
        long maxAge = Math.max(0, Math.min(MAX_AGE_CAP.toSeconds(), config.auth().keyStagingPeriod().toSeconds() / 2));
        cacheControl = "public, max-age=" + maxAge;
        FunctionCounter.builder("meltano.auth.jwks.requests", served, LongAdder::sum)
                .description("JWKS documents served (GET and HEAD)")
                .register(registry);
        router.route(PATH).method(HttpMethod.GET).method(HttpMethod.HEAD).produces(JWK_SET).produces(JSON)
                .order(Integer.MIN_VALUE + 10).handler(this::serve);
        // what the route above did not take: a method other than GET and HEAD, or an Accept it cannot meet
        router.route(PATH).order(Integer.MIN_VALUE + 11).handler(JwksEndpoint::refuse);
    }

    private void serve(RoutingContext ctx) {
        String type = ctx.getAcceptableContentType();
        Encoded document = current();
        // the length named here so that a HEAD answer says it too (RFC 9110 section 9.3.2)
        ctx.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, type == null ? JWK_SET : type)
                .putHeader(HttpHeaders.CACHE_CONTROL, cacheControl)
                .putHeader(HttpHeaders.CONTENT_LENGTH, document.length())
                .end(document.body());
        served.increment();
    }

    /** The current document encoded; the document is the same object until the keys change. */
    private Encoded current() {
        String json = keys.jwksJson();
        Encoded last = encoded;
        if (last.json() != json) {
            Buffer body = Buffer.buffer(json);
            last = new Encoded(json, body, String.valueOf(body.length()));
            encoded = last;
        }
        return last;
    }

    /** In the protocol endpoints' JSON, as the JAX-RS layer answers these for the other endpoints. */
    private static void refuse(RoutingContext ctx) {
        HttpMethod method = ctx.request().method();
        if (method == HttpMethod.OPTIONS) {
            ctx.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, ALLOWED).end();
        } else if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            ErrorReply.notAcceptable(ResponseShape.PROTOCOL).send(ctx.response());
        } else {
            ctx.response().putHeader(HttpHeaders.ALLOW, ALLOWED);
            ErrorReply.methodNotAllowed(ResponseShape.PROTOCOL).send(ctx.response());
        }
    }
}
