package com.meltano.auth.oidc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.keys.JwksEndpoint;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.authorize.AuthorizeEndpoint;
import com.meltano.auth.oauth2.introspect.IntrospectionEndpoint;
import com.meltano.auth.oauth2.revoke.RevocationEndpoint;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.token.TokenEndpoint;

/**
 * Authorization server metadata (RFC 8414) at both well-known paths (OIDC Discovery section 4).
 * It announces only what exists: endpoints are added here by the slice that builds them.
 */
@Path("/.well-known")
public class DiscoveryEndpoint {

    private final String document;

    @Inject
    DiscoveryEndpoint(Issuer issuer, ObjectMapper json) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer.value());
        m.put("authorization_endpoint", issuer.resolve(AuthorizeEndpoint.PATH));
        m.put("token_endpoint", issuer.resolve(TokenEndpoint.PATH));
        m.put("jwks_uri", issuer.resolve(JwksEndpoint.PATH));
        m.put("userinfo_endpoint", issuer.resolve(UserinfoEndpoint.PATH));
        m.put("revocation_endpoint", issuer.resolve(RevocationEndpoint.PATH));
        m.put("introspection_endpoint", issuer.resolve(IntrospectionEndpoint.PATH));
        m.put("end_session_endpoint", issuer.resolve(LogoutEndpoint.PATH));
        m.put("grant_types_supported", GrantTypes.SUPPORTED);
        m.put("token_endpoint_auth_methods_supported", GrantTypes.AUTH_METHODS);
        m.put("revocation_endpoint_auth_methods_supported", GrantTypes.AUTH_METHODS);
        m.put("introspection_endpoint_auth_methods_supported", List.of(GrantTypes.BASIC, GrantTypes.POST));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("response_modes_supported", List.of("query"));
        m.put("prompt_values_supported", List.of("none", "login", "consent"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("scopes_supported", Scopes.KNOWN);
        m.put("response_types_supported", List.of("code"));
        m.put("subject_types_supported", List.of("public"));
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "azp",
                "email", "email_verified", "jti", "client_id", "scope", "roles", "permissions"));
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        this.document = json.writeValueAsString(m);
    }

    @GET
    @Path("openid-configuration")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response openidConfiguration() {
        return metadata();
    }

    @GET
    @Path("oauth-authorization-server")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response oauthAuthorizationServer() {
        return metadata();
    }

    private Response metadata() {
        return Response.ok(document).header("Cache-Control", "public, max-age=300").build();
    }
}
