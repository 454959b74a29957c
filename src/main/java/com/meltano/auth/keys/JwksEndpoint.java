package com.meltano.auth.keys;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.config.AuthConfig;
/**
 * The JWKS (RFC 7517 section 5): public parts only, served from a document serialized once per
 * key change. {@code max-age} stays well under the key staging period, so that verifiers see a new
 * key before it signs anything (SPEC section 7).
 */
@Path(JwksEndpoint.PATH)
public class JwksEndpoint {

    public static final String PATH = "/oauth2/jwks";

    @Inject
    SigningKeys keys;

    @Inject
    AuthConfig config;

    @GET
    @Produces({ "application/jwk-set+json", "application/json" })
    @Operation(hidden = true)
    public Response jwks() {
        long maxAge = Math.max(0, Math.min(300, config.auth().keyStagingPeriod().toSeconds() / 2));
        return Response.ok(keys.jwksJson())
                .header("Cache-Control", "public, max-age=" + maxAge)
                .build();
    }
}
