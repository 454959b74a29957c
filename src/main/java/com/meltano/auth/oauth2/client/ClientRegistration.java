package com.meltano.auth.oauth2.client;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * What an admin sends to register or change a client (SPEC section 9). Fields are null when
 * absent; on a change, absent means unchanged. {@code subjectType} and {@code sectorIdentifier}: SPEC
 * section 12, "Pairwise subjects" (see {@link SubjectTypes}).
 */
public record ClientRegistration(
        String clientId,
        String name,
        List<String> redirectUris,
        List<String> postLogoutRedirectUris,
        List<String> grantTypes,
        String tokenEndpointAuthMethod,
        List<String> scopes,
        List<String> roles,
        Boolean firstParty,
        Boolean adminApi,
        Boolean enabled,
        @Schema(enumeration = { "public", "pairwise" }, description = "public (default): sub is the user id;"
                + " pairwise: sub is a pseudonym per sector") String subjectType,
        @Schema(description = "pairwise only: the sector, a lowercase host name; default: the one host of the"
                + " redirect URIs (required with private-use-scheme redirect URIs)") String sectorIdentifier) {
}
