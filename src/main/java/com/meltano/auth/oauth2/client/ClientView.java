package com.meltano.auth.oauth2.client;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A client as the admin API shows it; {@code clientSecret} is set only in the response that created it.
 * {@code sectorIdentifier} is the sector a pairwise client's subs are computed for, null for a public client.
 */
public record ClientView(
        String clientId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String clientSecret,
        String name,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> grantTypes,
        String tokenEndpointAuthMethod,
        List<String> scopes,
        List<String> roles,
        boolean firstParty,
        boolean adminApi,
        boolean enabled,
        Instant createdAt,
        Instant updatedAt,
        @Schema(enumeration = { "public", "pairwise" }) String subjectType,
        @Schema(description = "the sector a pairwise client's subs are computed for; null for a public client") String sectorIdentifier) {

    @Override
    public String toString() {
        return "ClientView[" + clientId + "]";
    }
}
