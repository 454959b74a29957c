package com.meltano.auth.oidc;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.SubjectTypes;
import com.meltano.auth.oauth2.token.GrantHandler;

/**
 * Authorization server metadata (RFC 8414) at both well-known paths (OIDC Discovery section 4).
 * It announces only what exists: every endpoint that produces a {@link ProtocolEndpoint} with a
 * metadata name, and every grant type that has a {@link GrantHandler}; a new endpoint or grant
 * appears here by existing.
 */
@Path(DiscoveryEndpoint.WELL_KNOWN)
public class DiscoveryEndpoint {

    static final String WELL_KNOWN = "/.well-known";
    static final String OPENID_CONFIGURATION = "openid-configuration";
    static final String OAUTH_AUTHORIZATION_SERVER = "oauth-authorization-server";

    /** The document itself, at both paths: any origin may read it (SPEC section 4). */
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint OPENID_ANNOUNCED = ProtocolEndpoint.wellKnown(WELL_KNOWN + "/" + OPENID_CONFIGURATION,
            ProtocolEndpoint.CrossOrigin.ANY_ORIGIN);
    @jakarta.enterprise.inject.Produces
    static final ProtocolEndpoint OAUTH_ANNOUNCED = ProtocolEndpoint.wellKnown(WELL_KNOWN + "/" + OAUTH_AUTHORIZATION_SERVER,
            ProtocolEndpoint.CrossOrigin.ANY_ORIGIN);

    /**
     * The order earlier releases wrote these members in. JSON members have no order (RFC 8259
     * section 4), but a stable document keeps caches and diffs quiet; others follow by name.
     */
    private static final List<String> ENDPOINT_ORDER = List.of("authorization_endpoint", "token_endpoint", "jwks_uri",
            "userinfo_endpoint", "revocation_endpoint", "introspection_endpoint", "end_session_endpoint");

    private final String document;

    @Inject
    DiscoveryEndpoint(Issuer issuer, ObjectMapper json, Instance<ProtocolEndpoint> endpoints, Instance<GrantHandler> grants)
            throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", issuer.value());
        endpoints.stream().filter(e -> e.metadataName() != null)
                .sorted(Comparator.comparing((ProtocolEndpoint e) -> rank(ENDPOINT_ORDER, e.metadataName()))
                        .thenComparing(ProtocolEndpoint::metadataName))
                .forEach(e -> m.put(e.metadataName(), issuer.resolve(e.path())));
        m.put("grant_types_supported", grants.stream().map(GrantHandler::grantType)
                .sorted(Comparator.comparing((String g) -> rank(GrantTypes.SUPPORTED, g)).thenComparing(g -> g)).toList());
        m.put("token_endpoint_auth_methods_supported", GrantTypes.AUTH_METHODS);
        m.put("revocation_endpoint_auth_methods_supported", GrantTypes.AUTH_METHODS);
        m.put("introspection_endpoint_auth_methods_supported", List.of(GrantTypes.BASIC, GrantTypes.POST));
        m.put("code_challenge_methods_supported", List.of("S256"));
        m.put("response_modes_supported", List.of("query"));
        m.put("prompt_values_supported", List.of("none", "login", "consent"));
        m.put("authorization_response_iss_parameter_supported", true);
        m.put("scopes_supported", Scopes.KNOWN);
        m.put("response_types_supported", List.of("code"));
        m.put("subject_types_supported", SubjectTypes.SUPPORTED);
        m.put("id_token_signing_alg_values_supported", List.of("RS256"));
        m.put("claims_supported", List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "at_hash", "sid", "azp",
                "email", "email_verified", "jti", "client_id", "scope", "roles", "permissions"));
        m.put("request_parameter_supported", false);
        m.put("request_uri_parameter_supported", false);
        this.document = json.writeValueAsString(m);
    }

    private static int rank(List<String> order, String value) {
        int i = order.indexOf(value);
        return i < 0 ? order.size() : i;
    }

    @GET
    @Path(OPENID_CONFIGURATION)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response openidConfiguration() {
        return metadata();
    }

    @GET
    @Path(OAUTH_AUTHORIZATION_SERVER)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(hidden = true)
    public Response oauthAuthorizationServer() {
        return metadata();
    }

    private Response metadata() {
        return Response.ok(document).header("Cache-Control", "public, max-age=300").build();
    }
}
