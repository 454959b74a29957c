package com.meltano.auth.keys;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.config.AuthConfig;

/**
 * The JWKS (RFC 7517 section 5): public parts only, served from a document serialized once per
 * key change. {@code max-age} is half the staging period and at most {@link #MAX_AGE_CAP}: a copy
 * kept by a verifier or an HTTP cache has expired before a staged key signs, and also before an
 * {@code activate_now} key does ({@link KeyRotation#ACTIVATE_NOW_DELAY} is longer than this cap
 * plus the replicas' fallback reload), so even a verifier that does not refetch on an unknown
 * {@code kid}, but honours {@code max-age}, never refuses a token of ours.
 */
@Path(JwksEndpoint.PATH)
public class JwksEndpoint {

    public static final String PATH = "/oauth2/jwks";

    /** Discovery's {@code jwks_uri}; any origin may read public keys (SPEC section 4). */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("jwks_uri", PATH, ProtocolEndpoint.CrossOrigin.ANY_ORIGIN);

    static final Duration MAX_AGE_CAP = Duration.ofSeconds(10);

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @GET
    @Produces({ "application/jwk-set+json", "application/json" })
    @Operation(hidden = true)
    public Response jwks() {
        long maxAge = Math.max(0, Math.min(MAX_AGE_CAP.toSeconds(), config.auth().keyStagingPeriod().toSeconds() / 2));
        return Response.ok(keys.jwksJson())
                .header("Cache-Control", "public, max-age=" + maxAge)
                .build();
    }
}
