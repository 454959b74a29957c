package com.meltano.auth.oauth2.client;

import java.util.List;
import java.util.Set;

import com.meltano.auth.rbac.Authorities;

/**
 * An immutable snapshot of a client for the protocol endpoints, with its roles and permissions
 * already computed, so that issuing a token needs no database round trip for the client.
 * {@code throttleRecords} says whether failed authentications were recorded for the client when
 * the snapshot was loaded: the failure that creates a record evicts the snapshot on every replica
 * before it is answered, so while it is false a correct secret need not read the throttle table
 * (the argument is in ClientAuthenticator). A pure value: whoever keeps state per client
 * (the service grants of {@code client_credentials}) keys it by the snapshot's identity, since
 * {@link ClientCache} loads a new snapshot whenever the client changes. {@code pairwiseSector} is
 * the sector of a pairwise client (SPEC section 12), null for a public one.
 */
public record RegisteredClient(
        String clientId,
        String name,
        byte[] secretHash,
        String authMethod,
        Set<String> grantTypes,
        Set<String> scopes,
        List<String> redirectUris,
        boolean adminApi,
        boolean firstParty,
        boolean enabled,
        Authorities authorities,
        boolean throttleRecords,
        String pairwiseSector) {

    public boolean isPublic() {
        return GrantTypes.NONE.equals(authMethod);
    }

    @Override
    public String toString() {
        return "RegisteredClient[" + clientId + "]"; // never the secret hash
    }
}
