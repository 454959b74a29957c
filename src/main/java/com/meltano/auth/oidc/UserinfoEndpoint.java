package com.meltano.auth.oidc;

import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ProtocolEndpoint;

/**
 * The userinfo endpoint (OIDC Core 5.3), GET and POST; the bearer token in the header or, for
 * POST, in the form body (RFC 6750 section 2.2), never both. Errors per RFC 6750 section 3.
 */
@Path(UserinfoEndpoint.PATH)
public class UserinfoEndpoint {

    public static final String PATH = "/userinfo";

    /** Discovery's {@code userinfo_endpoint}; single-page apps of registered origins call it (SPEC section 4). */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("userinfo_endpoint", PATH,
            ProtocolEndpoint.CrossOrigin.REGISTERED_ORIGINS);

    @Inject
    Userinfo userinfo;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response get(@HeaderParam("Authorization") String authorization) {
        return answer(bearer(authorization));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response post(@HeaderParam("Authorization") String authorization, @FormParam("access_token") String bodyToken) {
        String header = bearer(authorization);
        if (header != null && bodyToken != null) {
            return error(400, "invalid_request", "send the token in one place only");
        }
        return answer(header != null ? header : bodyToken);
    }

    private Response answer(String token) {
        if (token == null || token.isEmpty()) {
            return Response.status(401).header("WWW-Authenticate", "Bearer realm=\"meltano-auth\"")
                    .header("Cache-Control", "no-store").build();
        }
        Userinfo.Result result = userinfo.claims(token);
        if (result.failure() == Userinfo.Failure.INVALID_TOKEN) {
            return error(401, "invalid_token", "the access token is not valid");
        }
        if (result.failure() == Userinfo.Failure.INSUFFICIENT_SCOPE) {
            return error(403, "insufficient_scope", "the access token lacks the openid scope");
        }
        return Response.ok(result.claims()).header("Cache-Control", "no-store").build();
    }

    private static Response error(int status, String code, String description) {
        return Response.status(status)
                .header("WWW-Authenticate", "Bearer realm=\"meltano-auth\", error=\"" + code + "\", error_description=\"" + description + "\"")
                .header("Cache-Control", "no-store")
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", code, "error_description", description)).build();
    }

    private static String bearer(String authorization) {
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7) ? authorization.substring(7).trim() : null;
    }
}
