package com.meltano.auth.oauth2.client;

import java.time.Instant;
import java.util.List;

/**
 * A registered client: a copy of its {@code client} row, read and written by {@link ClientRepository}.
 * The secret is stored only as a keyed hash (see {@code SecretHashKey}).
 */
public class ClientEntity {

    public String clientId;

    public String name;

    public byte[] secretHash;

    public String tokenEndpointAuthMethod;

    public List<String> redirectUris;

    public List<String> postLogoutRedirectUris;

    public List<String> grantTypes;

    public List<String> scopes;

    public boolean firstParty;

    public boolean adminApi;

    public boolean enabled = true;

    public Instant createdAt;

    public Instant updatedAt;

    /** {@code public} or {@code pairwise} (SPEC section 12, {@link SubjectTypes}). */
    public String subjectType = SubjectTypes.PUBLIC;

    /** The resolved sector of a pairwise client (a host name); null exactly for a public one. */
    public String sectorIdentifier;

    @Override
    public String toString() {
        return "Client[" + clientId + "]"; // never the secret hash
    }
}
