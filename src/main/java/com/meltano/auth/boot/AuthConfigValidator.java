package com.meltano.auth.boot;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.meltano.auth.account.Email;
import com.meltano.auth.account.PasswordPolicy;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.config.SigningAlgorithm;
import com.meltano.auth.gitlab.GitLabSettings;
import com.meltano.auth.keys.KeyEncryptionKey;
import com.meltano.auth.keys.Pkcs11Token;
import com.meltano.auth.mail.SmtpUrl;
import com.meltano.auth.oauth2.client.ClientId;

/**
 * The start-time rules of SPEC section 3, checked by {@link MeltanoAuthMain} before Quarkus starts
 * and again by {@link Bootstrap}. It lives in {@code boot}, not in {@code config}, because it asks
 * the features (account, keys, gitlab, clients) for their parsing rules and {@code config} stays
 * the bottom of the package graph. Each problem is one line that names the environment
 * variable and the reason, never the value (values may be secrets).
 */
public final class AuthConfigValidator {

    /** Client secrets shorter than this are refused (SPEC section 3): 256 bits. */
    public static final int MIN_CLIENT_SECRET_BYTES = 32;

    private static final Set<String> LOOPBACK_BIND = Set.of("127.0.0.1", "::1", "[::1]");
    private static final Set<String> LOOPBACK_HOSTS = Set.of("localhost", "127.0.0.1", "[::1]");

    private AuthConfigValidator() {
    }

    /**
     * @param externalDatabase whether {@code QUARKUS_DATASOURCE_JDBC_URL} points at an external database
     * @param httpHost the listen address ({@code QUARKUS_HTTP_HOST})
     */
    public static List<String> problems(AuthConfig config, boolean externalDatabase, String httpHost) {
        List<String> problems = new ArrayList<>();
        AuthConfig.Auth auth = config.auth();

        Issuer issuer = null;
        try {
            issuer = Issuer.parse(auth.issuer());
        } catch (IllegalArgumentException e) {
            problems.add("MELTANO_AUTH_ISSUER: " + e.getMessage());
        }

        checkPair(problems, "MELTANO_AUTH_ADMIN_EMAIL", auth.adminEmail(), "MELTANO_AUTH_ADMIN_PASSWORD", auth.adminPassword());
        auth.adminEmail().ifPresent(email -> {
            try {
                Email.parse(email);
            } catch (IllegalArgumentException e) {
                problems.add("MELTANO_AUTH_ADMIN_EMAIL: " + e.getMessage());
            }
        });
        auth.adminPassword().flatMap(p -> PasswordPolicy.violation(p, auth.adminEmail().orElse(null)))
                .ifPresent(reason -> problems.add("MELTANO_AUTH_ADMIN_PASSWORD: " + reason));

        checkPair(problems, "MELTANO_AUTH_ADMIN_CLIENT_ID", auth.adminClientId(),
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", auth.adminClientSecret());
        auth.adminClientId().ifPresent(id -> {
            try {
                ClientId.of(id, auth.audience());
            } catch (IllegalArgumentException e) {
                problems.add("MELTANO_AUTH_ADMIN_CLIENT_ID: " + e.getMessage());
            }
        });
        auth.adminClientSecret().ifPresent(secret -> {
            if (secret.getBytes(StandardCharsets.UTF_8).length < MIN_CLIENT_SECRET_BYTES) {
                problems.add("MELTANO_AUTH_ADMIN_CLIENT_SECRET: must be at least " + MIN_CLIENT_SECRET_BYTES + " bytes");
            }
        });

        checkPair(problems, "MELTANO_AUTH_GITLAB_CLIENT_ID", auth.gitlabClientId(),
                "MELTANO_AUTH_GITLAB_CLIENT_SECRET", auth.gitlabClientSecret());
        checkUrl(problems, "MELTANO_AUTH_GITLAB_URL", auth.gitlabUrl());
        auth.gitlabGroupRoles().ifPresent(v -> {
            try {
                GitLabSettings.parseGroupRoles(v);
            } catch (IllegalArgumentException e) {
                problems.add("MELTANO_AUTH_GITLAB_GROUP_ROLES: " + e.getMessage());
            }
        });

        checkKek(problems, "MELTANO_AUTH_KEY_ENCRYPTION_KEY", auth.keyEncryptionKey());
        checkKek(problems, "MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS", auth.keyEncryptionKeyPrevious());
        if (externalDatabase && auth.keyEncryptionKey().isEmpty() && auth.pkcs11Library().isEmpty()) {
            problems.add("MELTANO_AUTH_KEY_ENCRYPTION_KEY: is required with an external database (base64 of 32 random bytes)");
        }

        positive(problems, "MELTANO_AUTH_ACCESS_TOKEN_TTL", auth.accessTokenTtl());
        positive(problems, "MELTANO_AUTH_REFRESH_TOKEN_TTL", auth.refreshTokenTtl());
        positive(problems, "MELTANO_AUTH_REFRESH_TOKEN_IDLE_TTL", auth.refreshTokenIdleTtl());
        positive(problems, "MELTANO_AUTH_KEY_ROTATION_PERIOD", auth.keyRotationPeriod());
        positive(problems, "MELTANO_AUTH_KEY_STAGING_PERIOD", auth.keyStagingPeriod());
        positive(problems, "MELTANO_AUTH_AUDIT_RETENTION", auth.auditRetention());
        positive(problems, "MELTANO_AUTH_DEVICE_CODE_TTL", auth.deviceCodeTtl());
        checkMfa(problems, auth.mfa());
        if (auth.keyStagingPeriod().compareTo(auth.keyRotationPeriod()) >= 0) {
            problems.add("MELTANO_AUTH_KEY_STAGING_PERIOD: must be shorter than MELTANO_AUTH_KEY_ROTATION_PERIOD");
        }
        if (auth.audience().isBlank()) {
            problems.add("MELTANO_AUTH_AUDIENCE: must not be empty");
        }

        checkMail(problems, auth);
        checkPkcs11(problems, auth);

        if (!config.authentication()) {
            if (issuer != null && !issuer.isLoopback()) {
                problems.add("MELTANO_AUTHENTICATION: false is only allowed when MELTANO_AUTH_ISSUER is on localhost, 127.0.0.1 or [::1]");
            }
            if (!LOOPBACK_BIND.contains(httpHost)) {
                problems.add("MELTANO_AUTHENTICATION: false is only allowed when QUARKUS_HTTP_HOST is 127.0.0.1 or ::1");
            }
        }
        return problems;
    }

    /**
     * What a server listens on (a command does not): {@code QUARKUS_HTTP_PORT} a port number and
     * {@code QUARKUS_HTTP_HOST} an address or a name that resolves, checked here so that the line
     * names the variable (Quarkus would fail later, naming only the kind of its exception).
     */
    public static List<String> listenProblems(Optional<String> httpPort, String httpHost) {
        List<String> problems = new ArrayList<>();
        String port = httpPort.map(String::trim).orElse("8080");
        if (!port.matches("[0-9]{1,5}") || Integer.parseInt(port) > 65535) {
            problems.add("QUARKUS_HTTP_PORT: must be a port number from 0 to 65535");
        }
        try {
            InetAddress.getByName(httpHost);
        } catch (UnknownHostException | SecurityException e) {
            problems.add("QUARKUS_HTTP_HOST: is neither an IP address nor a name that resolves");
        }
        return problems;
    }

    /** SPEC section 12: the SMTP URL parses, credentials come in pairs, the sender is an address, verification needs mail. */
    private static void checkMail(List<String> problems, AuthConfig.Auth auth) {
        Optional<String> url = auth.smtpUrl().filter(u -> !u.isBlank());
        url.ifPresent(u -> {
            try {
                SmtpUrl.parse(u);
            } catch (IllegalArgumentException e) {
                problems.add("MELTANO_AUTH_SMTP_URL: " + e.getMessage());
            }
        });
        checkPair(problems, "MELTANO_AUTH_SMTP_USERNAME", auth.smtpUsername(), "MELTANO_AUTH_SMTP_PASSWORD", auth.smtpPassword());
        auth.mailFrom().filter(f -> !f.isBlank()).ifPresent(from -> {
            try {
                Email.parse(from);
            } catch (IllegalArgumentException e) {
                problems.add("MELTANO_AUTH_MAIL_FROM: must be a plain email address such as auth@example.com (no display name)");
            }
        });
        if (auth.requireVerifiedEmail() && url.isEmpty()) {
            problems.add("MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL: true needs mail: set MELTANO_AUTH_SMTP_URL");
        }
    }

    /** An https URL; plain http only on a loopback host (codes and the client secret travel there). */
    private static void checkUrl(List<String> problems, String name, String value) {
        try {
            URI uri = new URI(value);
            boolean loopback = uri.getHost() != null && LOOPBACK_HOSTS.contains(uri.getHost().toLowerCase(Locale.ROOT));
            if (uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()) && loopback)) {
                problems.add(name + ": must be an https URL (http only on localhost, 127.0.0.1 or [::1])");
            }
        } catch (URISyntaxException e) {
            problems.add(name + ": must be an http(s) URL");
        }
    }

    private static void checkPair(List<String> problems, String aName, Optional<String> a, String bName, Optional<String> b) {
        if (a.isPresent() && b.isEmpty()) {
            problems.add(bName + ": must be set together with " + aName);
        } else if (b.isPresent() && a.isEmpty()) {
            problems.add(aName + ": must be set together with " + bName);
        }
    }

    private static void checkKek(List<String> problems, String name, Optional<String> value) {
        value.ifPresent(v -> {
            try {
                KeyEncryptionKey.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add(name + ": " + e.getMessage());
            }
        });
    }

    /** SPEC section 15: the three PKCS#11 variables come together, and the provider has no Ed25519. */
    private static void checkPkcs11(List<String> problems, AuthConfig.Auth auth) {
        List<Optional<String>> values = List.of(auth.pkcs11Library(), auth.pkcs11TokenLabel(), auth.pkcs11Pin());
        List<String> names = List.of(Pkcs11Token.LIBRARY, Pkcs11Token.TOKEN_LABEL, Pkcs11Token.PIN);
        if (values.stream().noneMatch(Optional::isPresent)) {
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            if (values.get(i).filter(v -> !v.isBlank()).isEmpty()) {
                problems.add(names.get(i) + ": must be set together with the other MELTANO_AUTH_PKCS11_ variables");
                return;
            }
        }
        if (auth.signingAlg() == SigningAlgorithm.EdDSA) {
            problems.add("MELTANO_AUTH_SIGNING_ALG: EdDSA cannot be used with a PKCS#11 token (the JDK's provider has no Ed25519);"
                    + " use RS256 or ES256");
        }
    }

    /**
     * Second factors (SPEC section 13) are not built yet: a policy that demands them would leave
     * the server serving without them, so only {@code optional} starts.
     */
    private static void checkMfa(List<String> problems, String mfa) {
        if (!Set.of("optional", "admins", "required").contains(mfa)) {
            problems.add("MELTANO_AUTH_MFA: must be optional, admins or required");
        } else if (!mfa.equals("optional")) {
            problems.add("MELTANO_AUTH_MFA: " + mfa + " cannot be enforced: this version has no second factors yet;"
                    + " leave it unset (optional)");
        }
    }

    private static void positive(List<String> problems, String name, Duration value) {
        if (value.isNegative() || value.isZero()) {
            problems.add(name + ": must be a positive ISO-8601 duration such as PT10M");
        }
    }
}
