package com.meltano.auth.oauth2.revoke;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.oauth2.client.ClientAuthenticator;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.token.TokenEndpoint;
import com.meltano.auth.oauth2.token.TokenRequest;

import io.vertx.core.http.HttpServerRequest;

/** RFC 7009 token revocation: authenticate the client, revoke, answer 200 with no body. */
@Path(RevocationEndpoint.PATH)
public class RevocationEndpoint {

    public static final String PATH = "/oauth2/revoke";

    /** Discovery's {@code revocation_endpoint}; single-page apps of registered origins call it (SPEC section 4). */
    @Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("revocation_endpoint", PATH,
            ProtocolEndpoint.CrossOrigin.REGISTERED_ORIGINS);

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    Revocation revocation;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response revoke(MultivaluedMap<String, String> form, @HeaderParam("Authorization") String authorization,
            HttpServerRequest http) {
        TokenRequest request = new TokenRequest(TokenEndpoint.single(form), authorization, http.remoteAddress().hostAddress());
        RegisteredClient client = authenticator.authenticate(authorization, request.param("client_id"),
                request.param("client_secret"), request.address());
        revocation.revoke(client, request.required("token"), request.param("token_type_hint"));
        return Response.ok().header("Cache-Control", "no-store").build();
    }

}
