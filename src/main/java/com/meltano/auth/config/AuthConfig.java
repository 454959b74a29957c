package com.meltano.auth.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;

/**
 * The whole configuration of SPEC section 3, one typed mapping. Environment variables map onto it
 * by the MicroProfile rules ({@code MELTANO_AUTH_SIGNING_ALG} is {@code meltano.auth.signing-alg});
 * {@code MELTANO_AUTHENTICATION} sits outside the {@code auth} group, which is why the prefix is
 * {@code meltano}. Semantic rules live in {@code boot.AuthConfigValidator}.
 */
@ConfigMapping(prefix = "meltano")
public interface AuthConfig {

    /** {@code MELTANO_AUTHENTICATION}: {@code false} switches to the single built-in admin (SPEC section 6). */
    @WithDefault("true")
    @WithConverter(StrictBoolean.class)
    boolean authentication();

    Auth auth();

    interface Auth {
        @WithDefault("http://localhost:8080")
        String issuer();

        @WithDefault("open")
        Registration registration();

        Optional<String> adminEmail();

        Optional<String> adminPassword();

        Optional<String> adminClientId();

        Optional<String> adminClientSecret();

        @WithDefault("https://gitlab.com")
        String gitlabUrl();

        Optional<String> gitlabClientId();

        Optional<String> gitlabClientSecret();

        Optional<String> gitlabGroupRoles();

        @WithDefault("./data")
        String dataDir();

        Optional<String> keyEncryptionKey();

        Optional<String> keyEncryptionKeyPrevious();

        @WithDefault("RS256")
        SigningAlgorithm signingAlg();

        /** The {@code aud} of access tokens; an extension of SPEC section 3 ({@code MELTANO_AUTH_AUDIENCE}). */
        @WithDefault("meltano")
        String audience();

        @WithDefault("PT10M")
        Duration accessTokenTtl();

        @WithDefault("P30D")
        Duration refreshTokenTtl();

        @WithDefault("P7D")
        Duration refreshTokenIdleTtl();

        @WithDefault("P30D")
        Duration keyRotationPeriod();

        @WithDefault("PT10M")
        Duration keyStagingPeriod();

        /** {@code MELTANO_AUTH_AUDIT_RETENTION} (SPEC section 12): audit entries older than this are deleted. */
        @WithDefault("P400D")
        Duration auditRetention();

        /** {@code MELTANO_AUTH_SMTP_URL} (SPEC section 12): {@code smtp://host:port} or {@code smtps://host:port}; unset: mail off. */
        Optional<String> smtpUrl();

        Optional<String> smtpUsername();

        Optional<String> smtpPassword();

        /** {@code MELTANO_AUTH_MAIL_FROM}: the sender address; default {@code no-reply@} the issuer's host. */
        Optional<String> mailFrom();

        /** {@code MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL}: unverified accounts get no tokens (needs mail). */
        @WithDefault("false")
        @WithConverter(StrictBoolean.class)
        boolean requireVerifiedEmail();

        /**
         * {@code MELTANO_AUTH_MFA} (SPEC section 13): {@code optional}, {@code admins} or {@code required};
         * read as text so that the line for a bad value can list the three.
         */
        @WithDefault("optional")
        String mfa();

        /** {@code MELTANO_AUTH_DEVICE_CODE_TTL} (SPEC section 14). */
        @WithDefault("PT10M")
        Duration deviceCodeTtl();

        /** {@code MELTANO_AUTH_PKCS11_LIBRARY} (SPEC section 15): the PKCS#11 module; unset: software keys. */
        Optional<String> pkcs11Library();

        /** {@code MELTANO_AUTH_PKCS11_TOKEN_LABEL}: the token that holds the signing keys. */
        Optional<String> pkcs11TokenLabel();

        /** {@code MELTANO_AUTH_PKCS11_PIN}: the user PIN; never logged. */
        Optional<String> pkcs11Pin();
    }

    /** {@code MELTANO_AUTH_REGISTRATION}: {@code open} or {@code closed}. */
    enum Registration {
        OPEN,
        CLOSED
    }
}
