package com.meltano.auth.oauth2.introspect;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.client.ClientAuthenticator;
import com.meltano.auth.oauth2.client.RegisteredClient;
import com.meltano.auth.oauth2.token.TokenEndpoint;
import com.meltano.auth.oauth2.token.TokenRequest;

import io.vertx.core.http.HttpServerRequest;

/** RFC 7662 introspection, for confidential clients only (section 2.1: the endpoint must be protected). */
@Path(IntrospectionEndpoint.PATH)
public class IntrospectionEndpoint {

    public static final String PATH = "/oauth2/introspect";

    /** Discovery's {@code introspection_endpoint}; a resource server's back end calls it, never a browser. */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("introspection_endpoint", PATH,
            ProtocolEndpoint.CrossOrigin.NONE);

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    Introspection introspection;

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response introspect(MultivaluedMap<String, String> form, @HeaderParam("Authorization") String authorization,
            HttpServerRequest http) {
        TokenRequest request = new TokenRequest(TokenEndpoint.single(form), authorization, http.remoteAddress().hostAddress());
        RegisteredClient client = authenticator.authenticate(authorization, request.param("client_id"),
                request.param("client_secret"), request.address());
        if (client.isPublic()) {
            throw OAuthError.invalidClient("introspection is for confidential clients");
        }
        return Response.ok(introspection.introspect(request.required("token"), request.param("token_type_hint")))
                .header("Cache-Control", "no-store").build();
    }

}
