package com.meltano.auth.oauth2.token;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
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

import com.meltano.auth.audit.AuditUnavailableException;
import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.ProtocolParameters;
import com.meltano.auth.oauth2.client.ClientAuthenticator;
import com.meltano.auth.oauth2.client.RegisteredClient;

import io.vertx.core.http.HttpServerRequest;

/**
 * The token endpoint (RFC 6749 section 3.2): convert the form, authenticate the client, hand the
 * request to the handler of its grant type, write the response with {@code Cache-Control: no-store}.
 * A blocking endpoint (it runs on a worker thread, never on the event loop): the handler waits for
 * the group commit of the token's audit record before the response is written.
 */
@Path(TokenEndpoint.PATH)
public class TokenEndpoint {

    public static final String PATH = "/oauth2/token";

    /** Discovery's {@code token_endpoint}; single-page apps of registered origins call it (SPEC section 4). */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("token_endpoint", PATH,
            ProtocolEndpoint.CrossOrigin.REGISTERED_ORIGINS);

    private final Map<String, GrantHandler> handlers = new HashMap<>();

    @Inject
    ClientAuthenticator authenticator;

    @Inject
    TokenEndpoint(Instance<GrantHandler> all) {
        all.forEach(h -> handlers.put(h.grantType(), h));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response token(MultivaluedMap<String, String> form, @HeaderParam("Authorization") String authorization,
            HttpServerRequest http) {
        TokenRequest request = new TokenRequest(single(form), authorization, http.remoteAddress().hostAddress());
        String grantType = request.param("grant_type");
        if (grantType == null) {
            throw OAuthError.invalidRequest("missing parameter: grant_type");
        }
        RegisteredClient client = authenticator.authenticate(authorization, request.param("client_id"),
                request.param("client_secret"), request.address());
        GrantHandler handler = handlers.get(grantType);
        if (handler == null) {
            throw OAuthError.unsupportedGrantType("unsupported grant_type");
        }
        if (!client.grantTypes().contains(grantType)) {
            throw OAuthError.unauthorizedClient("the client may not use the " + grantType + " grant");
        }
        TokenResponse tokens;
        try {
            tokens = handler.handle(client, request);
        } catch (AuditUnavailableException e) {
            // a token whose issuance could not be audited is not handed out (issue 9)
            throw OAuthError.temporarilyUnavailable("the token could not be issued now; retry later", 1);
        }
        return Response.ok(tokens)
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }

    /** RFC 6749 section 2.3 / 3.2: the request must be a form post; anything else is invalid_request. */
    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response notAForm() {
        throw OAuthError.invalidRequest("the token request must be application/x-www-form-urlencoded");
    }

    /** RFC 6749 section 3.2: the protocol's parameters must not be repeated ({@link ProtocolParameters}). */
    public static Map<String, String> single(MultivaluedMap<String, String> form) {
        String repeated = ProtocolParameters.repeated(form);
        if (repeated != null) {
            throw OAuthError.invalidRequest("parameter repeated: " + repeated);
        }
        Map<String, String> params = new HashMap<>();
        for (Map.Entry<String, List<String>> e : form.entrySet()) {
            params.put(e.getKey(), e.getValue().isEmpty() ? "" : e.getValue().get(0));
        }
        return params;
    }
}
