package com.meltano.auth.admin.console;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import com.meltano.auth.config.Issuer;
import com.meltano.auth.keys.KeyEncryption;
import com.meltano.auth.keys.KeyEncryptionService;

/**
 * Carries a client secret from the form that made it (registration, rotation: answered 303, SPEC
 * section 11) to the one page that shows it, once. The secret never goes into a URL, a log, the
 * database or a second response:
 * <ul>
 * <li>it travels in a cookie ({@value #SECRET}) whose value is AES-256-GCM ciphertext under the
 * key-encryption key, so the browser's cookie store, a proxy that logs headers or a crash dump
 * holds only ciphertext;</li>
 * <li>the ciphertext is bound (associated data) to this console session's form token, to the
 * client and to an expiry two minutes on: it opens nowhere else, for nothing else, and not later;</li>
 * <li>the cookie is {@code HttpOnly}, {@code SameSite=Strict} and its path is the client's page
 * only, which clears it as it shows the secret (a reload shows it no more), and that page, like
 * every page, is {@code Cache-Control: no-store}.</li>
 * </ul>
 * Why not a one-time value held on the server: replicas share nothing but PostgreSQL, so the page
 * after the 303 may be served by another replica than the form; holding the secret in a table,
 * even encrypted and for seconds, would copy it into the WAL and backups. The price of a cookie:
 * whoever holds both this ciphertext and the session cookie could replay it within its two
 * minutes, and that person could rotate the secret anyway.
 */
@ApplicationScoped
public class ConsoleSecretCookies {

    public static final String SECRET = "meltano_console_secret";
    private static final int MAX_AGE_SECONDS = 120;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    @Inject
    KeyEncryptionService encryption;

    @Inject
    Issuer issuer;

    @Inject
    ConsoleAdmin admin;

    /** {@code answer} (a 303 to {@code page}, the client's page) carrying {@code secret} for that page to show once. */
    public Response withSecret(Response answer, String page, String clientId, String secret) {
        long expires = Instant.now().getEpochSecond() + MAX_AGE_SECONDS;
        byte[] sealed = encryption.encrypt(secret.getBytes(StandardCharsets.UTF_8), bound(clientId, expires));
        String kek = B64.encodeToString(encryption.currentKeyId().getBytes(StandardCharsets.UTF_8));
        String value = kek + "." + expires + "." + B64.encodeToString(sealed);
        return Response.fromResponse(answer).cookie(cookie(page, value, MAX_AGE_SECONDS)).build();
    }

    /** The secret left for {@code clientId} by the form just answered, or null (none, expired, not this session's). */
    public String secret(String cookie, String clientId) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 400) {
            return null;
        }
        String[] parts = cookie.split("\\.");
        if (parts.length != 3) {
            return null;
        }
        try {
            long expires = Long.parseLong(parts[1]);
            if (Instant.now().getEpochSecond() > expires) {
                return null;
            }
            String kek = new String(UNB64.decode(parts[0]), StandardCharsets.UTF_8);
            return new String(encryption.decrypt(kek, UNB64.decode(parts[2]), bound(clientId, expires)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | KeyEncryption.UndecryptableKeyException unreadable) {
            return null;
        }
    }

    /** A page that shows the secret (or finds one it cannot open): clears the cookie, so it is shown once. */
    public Response clearing(Response page, String pagePath) {
        return Response.fromResponse(page).cookie(cookie(pagePath, "", 0)).build();
    }

    private String bound(String clientId, long expires) {
        return "meltano console client secret\n" + clientId + "\n" + expires + "\n" + admin.csrf();
    }

    private NewCookie cookie(String path, String value, int maxAge) {
        return new NewCookie.Builder(SECRET).value(value).path(path).httpOnly(true).secure(issuer.isHttps())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
