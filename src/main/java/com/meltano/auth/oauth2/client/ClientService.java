package com.meltano.auth.oauth2.client;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.audit.AuditEvent;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.keys.SecretHashKey;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.grant.GrantRepository;
import com.meltano.auth.rbac.RbacRepository;
import com.meltano.auth.rbac.RbacService;
import com.meltano.auth.rbac.Subject;

/**
 * Client registration (SPEC section 9). Secrets are 256-bit random values generated here, returned
 * once, stored as a keyed hash; a new secret or a deleted client revokes the client's grants.
 */
@ApplicationScoped
public class ClientService {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    @Inject
    SecretHashKey secretHash;

    @Inject
    RbacService rbac;

    @Inject
    RbacRepository assignments;

    @Inject
    GrantRepository grants;

    @Inject
    AuthConfig config;

    @Inject
    Event<AuditEvent> audit;

    @Inject
    ClientCache cache;

    @Inject
    ClientRepository clients;

    @Transactional
    public ClientView create(String actor, ClientRegistration r) {
        String clientId = r.clientId() == null ? generatedId() : validClientId(r.clientId());
        if (clients.find(clientId) != null) {
            throw ServiceException.conflict("client_id", "a client with this client_id exists");
        }
        if (r.name() == null || r.name().isBlank() || r.name().length() > 200) {
            throw ServiceException.invalid("name", "is required (1 to 200 characters)");
        }
        if (r.grantTypes() == null) {
            throw ServiceException.invalid("grant_types", "is required");
        }
        if (r.redirectUris() == null) {
            throw ServiceException.invalid("redirect_uris", "is required (may be empty for client_credentials only)");
        }
        ClientEntity c = new ClientEntity();
        c.clientId = clientId;
        c.createdAt = Instant.now();
        c.tokenEndpointAuthMethod = GrantTypes.BASIC;
        c.postLogoutRedirectUris = List.of();
        apply(c, r, true);
        String secret = null;
        if (!GrantTypes.NONE.equals(c.tokenEndpointAuthMethod)) {
            secret = newSecret();
            c.secretHash = secretHash.hash(secret);
        }
        clients.insert(c);
        assignments.replaceManual(Subject.CLIENT, clientId, r.roles() == null ? List.of() : rbac.existingRoles("roles", r.roles()));
        cache.evictAfterCommit(clientId); // every replica learns of the client (and its CORS origins) at commit
        audit.fire(AuditEvent.of(actor, "client.created", clientId));
        return view(c, secret);
    }

    /** Creates or updates the bootstrap client of SPEC section 3 with the configured secret. */
    @Transactional
    public void ensureBootstrapClient(String clientId, String secret) {
        ClientEntity c = clients.find(clientId);
        boolean created = c == null;
        if (created) {
            c = new ClientEntity();
            c.clientId = clientId;
            c.name = "Bootstrap admin client";
            c.createdAt = Instant.now();
            c.redirectUris = List.of();
            c.postLogoutRedirectUris = List.of();
        }
        c.tokenEndpointAuthMethod = GrantTypes.BASIC;
        c.grantTypes = List.of(GrantTypes.CLIENT_CREDENTIALS);
        c.scopes = List.of(Scopes.ADMIN);
        c.adminApi = true;
        c.enabled = true;
        c.updatedAt = Instant.now();
        byte[] hash = secretHash.hash(secret);
        boolean secretChanged = !created && !secretHash.matches(secret, c.secretHash);
        c.secretHash = hash;
        if (created) {
            clients.insert(c);
        } else {
            clients.update(c);
        }
        assignments.assign(Subject.CLIENT, clientId, "admin", RbacRepository.MANUAL);
        if (secretChanged) {
            grants.revokeForClient(clientId, Instant.now());
        }
        cache.evictAfterCommit(clientId);
        if (created || secretChanged) {
            audit.fire(AuditEvent.of("system", created ? "client.bootstrapped" : "client.secret_rotated", clientId));
        }
    }

    @Transactional
    public ClientView get(String clientId) {
        return view(find(clientId), null);
    }

    /** How many clients are registered (the console's overview). */
    @Transactional
    public long count() {
        return clients.count();
    }

    @Transactional
    public List<ClientView> list(String after, int limit) {
        return clients.page(after, limit).stream().map(c -> view(c, null)).toList();
    }

    @Transactional
    public ClientView update(String actor, String clientId, ClientRegistration r) {
        ClientEntity c = find(clientId);
        if (r.clientId() != null && !r.clientId().equals(clientId)) {
            throw ServiceException.invalid("client_id", "cannot be changed");
        }
        boolean wasPublic = GrantTypes.NONE.equals(c.tokenEndpointAuthMethod);
        apply(c, r, false);
        boolean isPublic = GrantTypes.NONE.equals(c.tokenEndpointAuthMethod);
        // a public client made confidential gets a secret, shown in this answer only; one made public
        // loses its secret. Either way its grants end: refresh tokens issued under the other kind of
        // authentication would otherwise outlive the change (a confidential client's, usable without a secret).
        String secret = wasPublic && !isPublic ? newSecret() : null;
        if (wasPublic != isPublic) {
            c.secretHash = secret == null ? null : secretHash.hash(secret);
        }
        clients.update(c);
        if (r.roles() != null) {
            assignments.replaceManual(Subject.CLIENT, clientId, rbac.existingRoles("roles", r.roles()));
        }
        if (!c.enabled || wasPublic != isPublic) {
            grants.revokeForClient(clientId, Instant.now());
        }
        cache.evictAfterCommit(clientId);
        audit.fire(AuditEvent.of(actor, "client.updated", clientId));
        if (secret != null) {
            audit.fire(AuditEvent.of(actor, "client.secret_rotated", clientId));
        }
        return view(c, secret);
    }

    @Transactional
    public void delete(String actor, String clientId) {
        ClientEntity c = find(clientId);
        clients.delete(c); // grants cascade: every token of the client stops verifying at the admin check
        cache.evictAfterCommit(clientId);
        audit.fire(AuditEvent.of(actor, "client.deleted", clientId));
    }

    @Transactional
    public String rotateSecret(String actor, String clientId) {
        ClientEntity c = find(clientId);
        if (GrantTypes.NONE.equals(c.tokenEndpointAuthMethod)) {
            throw ServiceException.conflict("client_id", "a public client has no secret");
        }
        String secret = newSecret();
        c.secretHash = secretHash.hash(secret);
        c.updatedAt = Instant.now();
        clients.update(c);
        grants.revokeForClient(clientId, Instant.now());
        cache.evictAfterCommit(clientId);
        audit.fire(AuditEvent.of(actor, "client.secret_rotated", clientId));
        return secret;
    }

    private void apply(ClientEntity c, ClientRegistration r, boolean creating) {
        if (r.name() != null) {
            if (r.name().isBlank() || r.name().length() > 200) {
                throw ServiceException.invalid("name", "must be 1 to 200 characters");
            }
            c.name = r.name();
        }
        if (r.tokenEndpointAuthMethod() != null) {
            if (!GrantTypes.AUTH_METHODS.contains(r.tokenEndpointAuthMethod())) {
                throw ServiceException.invalid("token_endpoint_auth_method", "must be one of " + GrantTypes.AUTH_METHODS);
            }
            c.tokenEndpointAuthMethod = r.tokenEndpointAuthMethod();
        }
        if (r.grantTypes() != null) {
            c.grantTypes = validGrantTypes(r.grantTypes());
        }
        if (r.redirectUris() != null) {
            c.redirectUris = validUris("redirect_uris", r.redirectUris());
        }
        if (r.postLogoutRedirectUris() != null) {
            c.postLogoutRedirectUris = validUris("post_logout_redirect_uris", r.postLogoutRedirectUris());
        }
        if (r.firstParty() != null) {
            c.firstParty = r.firstParty();
        }
        if (r.adminApi() != null) {
            c.adminApi = r.adminApi();
        }
        if (r.enabled() != null) {
            c.enabled = r.enabled();
        }
        if (r.scopes() != null || creating || r.adminApi() != null || r.grantTypes() != null) {
            c.scopes = validScopes(r.scopes() != null ? r.scopes() : (creating ? null : withoutAdmin(c.scopes)), c);
        }
        boolean isPublic = GrantTypes.NONE.equals(c.tokenEndpointAuthMethod);
        if (isPublic && c.grantTypes.contains(GrantTypes.CLIENT_CREDENTIALS)) {
            throw ServiceException.invalid("grant_types", "a public client (token_endpoint_auth_method none) cannot use client_credentials");
        }
        if (isPublic && c.adminApi) {
            throw ServiceException.invalid("admin_api", "a public client cannot use the admin API");
        }
        if (c.grantTypes.contains(GrantTypes.AUTHORIZATION_CODE) && c.redirectUris.isEmpty()) {
            throw ServiceException.invalid("redirect_uris", "at least one is required with authorization_code");
        }
        if (c.grantTypes.contains(GrantTypes.REFRESH_TOKEN) && !c.grantTypes.contains(GrantTypes.AUTHORIZATION_CODE)) {
            throw ServiceException.invalid("grant_types", "refresh_token needs authorization_code");
        }
        applySubjectType(c, r);
        c.updatedAt = Instant.now();
    }

    /**
     * SPEC section 12: the subject type and the resolved sector. A sector, once resolved, stays
     * when the redirect URIs change later (the subs the client knows stay valid); it is resolved
     * again when the client becomes pairwise or names a sector, and cleared when it becomes public.
     */
    private static void applySubjectType(ClientEntity c, ClientRegistration r) {
        if (r.subjectType() == null && r.sectorIdentifier() == null) {
            return;
        }
        String type = r.subjectType() != null ? r.subjectType() : c.subjectType;
        String named = r.sectorIdentifier() != null ? r.sectorIdentifier()
                : r.subjectType() != null && SubjectTypes.PAIRWISE.equals(c.subjectType) && SubjectTypes.PAIRWISE.equals(type)
                        ? c.sectorIdentifier : null;
        c.sectorIdentifier = SubjectTypes.sector(type, named, c.redirectUris);
        c.subjectType = type;
    }

    private static List<String> withoutAdmin(List<String> scopes) {
        return scopes.stream().filter(s -> !Scopes.ADMIN.equals(s)).toList();
    }

    /** SPEC section 9: defaults by grant type, and {@code admin} exactly when {@code admin_api} is true. */
    private static List<String> validScopes(List<String> requested, ClientEntity c) {
        Set<String> scopes = new LinkedHashSet<>();
        if (requested == null) {
            if (c.grantTypes.contains(GrantTypes.AUTHORIZATION_CODE)) {
                scopes.addAll(List.of(Scopes.OPENID, Scopes.PROFILE, Scopes.EMAIL, Scopes.OFFLINE_ACCESS));
            }
        } else {
            for (int i = 0; i < requested.size(); i++) {
                String s = requested.get(i);
                if (!Scopes.KNOWN.contains(s)) {
                    throw ServiceException.invalid("scopes[" + i + "]", "unknown scope; known: " + Scopes.KNOWN);
                }
                if (Scopes.ADMIN.equals(s) && !c.adminApi) {
                    throw ServiceException.invalid("scopes[" + i + "]", "admin is only for clients with admin_api true");
                }
                scopes.add(s);
            }
        }
        if (c.adminApi) {
            scopes.add(Scopes.ADMIN);
        }
        return List.copyOf(scopes);
    }

    private static List<String> validGrantTypes(List<String> types) {
        if (types.isEmpty()) {
            throw ServiceException.invalid("grant_types", "must name at least one grant type");
        }
        Set<String> distinct = new LinkedHashSet<>();
        for (int i = 0; i < types.size(); i++) {
            if (!GrantTypes.SUPPORTED.contains(types.get(i))) {
                throw ServiceException.invalid("grant_types[" + i + "]", "must be one of " + GrantTypes.SUPPORTED);
            }
            distinct.add(types.get(i));
        }
        return List.copyOf(distinct);
    }

    private static List<String> validUris(String field, List<String> uris) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < uris.size(); i++) {
            String reason = RedirectUris.violation(uris.get(i)).orElse(null);
            if (reason != null) {
                throw ServiceException.invalid(field + "[" + i + "]", reason);
            }
            if (!out.contains(uris.get(i))) {
                out.add(uris.get(i));
            }
        }
        return List.copyOf(out);
    }

    private String validClientId(String value) {
        try {
            return ClientId.of(value, config.auth().audience()).value();
        } catch (IllegalArgumentException e) {
            throw ServiceException.invalid("client_id", e.getMessage());
        }
    }

    private static String generatedId() {
        byte[] raw = new byte[12];
        RANDOM.nextBytes(raw);
        return "mc-" + B64URL.encodeToString(raw);
    }

    /** 256 bits from the system CSPRNG, base64url: 43 characters. */
    static String newSecret() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        return B64URL.encodeToString(raw);
    }

    private ClientEntity find(String clientId) {
        ClientEntity c = clientId == null ? null : clients.find(clientId);
        if (c == null) {
            throw ServiceException.notFound("no client with this client_id");
        }
        return c;
    }

    ClientView view(ClientEntity c, String secret) {
        List<String> roles = assignments.assignments(Subject.CLIENT, c.clientId).stream()
                .map(RbacRepository.Assignment::role).distinct().toList();
        return new ClientView(c.clientId, secret, c.name, c.redirectUris, c.postLogoutRedirectUris, c.grantTypes,
                c.tokenEndpointAuthMethod, c.scopes, roles, c.firstParty, c.adminApi, c.enabled, c.createdAt, c.updatedAt,
                c.subjectType, c.sectorIdentifier);
    }

}
