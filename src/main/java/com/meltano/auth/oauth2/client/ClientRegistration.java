package com.meltano.auth.oauth2.client;

import java.util.List;

/**
 * What an admin sends to register or change a client (SPEC section 9). Fields are null when
 * absent; on a change, absent means unchanged.
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
        Boolean enabled) {
}
