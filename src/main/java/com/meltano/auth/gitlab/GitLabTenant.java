package com.meltano.auth.gitlab;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.keys.KeyEncryptionService;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * quarkus-oidc as a relying party of GitLab, as a {@code web-app} tenant on the start and callback
 * paths only (everything else keeps our own checks; QUARKUS-NOTES). Authorization code flow with
 * PKCE, {@code state} and {@code nonce}; the redirect URI comes from our issuer; the state and
 * token-state secrets are derived from the key-encryption key, so that any replica can finish a
 * round trip another started. The ID token is checked by quarkus-oidc: signature against GitLab's
 * JWKS, issuer, audience, expiry, nonce.
 */
@ApplicationScoped
public class GitLabTenant implements TenantConfigResolver {

    static final String TENANT_ID = "gitlab";

    @Inject
    GitLabSettings settings;

    @Inject
    KeyEncryptionService keys;

    private volatile OidcTenantConfig config;

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> requestContext) {
        String path = context.normalizedPath();
        if (!settings.enabled() || !(GitLabSettings.START_PATH.equals(path) || GitLabSettings.CALLBACK_PATH.equals(path))) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(config());
    }

    private OidcTenantConfig config() {
        OidcTenantConfig c = config;
        if (c == null) {
            c = build();
            config = c;
        }
        return c;
    }

    private OidcTenantConfig build() {
        return OidcTenantConfig.builder()
                .tenantId(TENANT_ID)
                .applicationType(ApplicationType.WEB_APP)
                .authServerUrl(settings.url())
                .clientId(settings.clientId())
                .credentials(settings.clientSecret())
                .authentication()
                    .redirectPath(settings.redirectUri())
                    .restorePathAfterRedirect(false)
                    .removeRedirectParameters(false)
                    .scopes("email", "profile")
                    .pkceRequired()
                    .nonceRequired()
                    .idTokenRequired()
                    .stateSecret(keys.derivedSecret("gitlab oidc state"))
                    .errorPath(GitLabSettings.ERROR_PATH)
                    .cookiePath(GitLabSettings.LOGIN_PATH)
                    .cookieForceSecure(settings.secureCookies())
                    .javaScriptAutoRedirect(false)
                    .end()
                .tokenStateManager()
                    .encryptionSecret(keys.derivedSecret("gitlab oidc token state"))
                    .end()
                .build();
    }
}
