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
 * client, to a random nonce and to an expiry two minutes on: it opens nowhere else, for nothing
 * else, and not later;</li>
 * <li>the page that shows it first records the nonce ({@link ConsoleSecretDisplays}), so the same
 * cookie sent again (a replay, a second tab, another replica) shows nothing;</li>
 * <li>the cookie is {@code HttpOnly}, {@code SameSite=Strict} and its path is the client's page
 * only, which clears it, and that page, like every page, is {@code Cache-Control: no-store}.</li>
 * </ul>
 * Why not the secret held on the server under a handle: replicas share nothing but PostgreSQL, so
 * the page after the 303 may be served by another replica than the form, and a secret held in a
 * table, even encrypted and for seconds, is copied into the WAL and the backups. Here the
 * database sees only the nonce.
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

    @Inject
    ConsoleSecretDisplays displays;

    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    /** {@code answer} (a 303 to {@code page}, the client's page) carrying {@code secret} for that page to show once. */
    public Response withSecret(Response answer, String page, String clientId, String secret) {
        long expires = Instant.now().getEpochSecond() + MAX_AGE_SECONDS;
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String nonce = B64.encodeToString(random);
        byte[] sealed = encryption.encrypt(secret.getBytes(StandardCharsets.UTF_8), bound(clientId, expires, nonce));
        String kek = B64.encodeToString(encryption.currentKeyId().getBytes(StandardCharsets.UTF_8));
        String value = kek + "." + expires + "." + nonce + "." + B64.encodeToString(sealed);
        return Response.fromResponse(answer).cookie(cookie(page, value, MAX_AGE_SECONDS)).build();
    }

    /**
     * The secret left for {@code clientId} by the form just answered, or null: no cookie, expired,
     * not this session's or client's, or shown already.
     */
    public String secret(String cookie, String clientId) {
        if (cookie == null || cookie.isEmpty() || cookie.length() > 400) {
            return null;
        }
        String[] parts = cookie.split("\\.");
        if (parts.length != 4) {
            return null;
        }
        try {
            long expires = Long.parseLong(parts[1]);
            if (Instant.now().getEpochSecond() > expires) {
                return null;
            }
            String kek = new String(UNB64.decode(parts[0]), StandardCharsets.UTF_8);
            byte[] secret = encryption.decrypt(kek, UNB64.decode(parts[3]), bound(clientId, expires, parts[2]));
            return displays.firstShowing(parts[2], Instant.ofEpochSecond(expires)) ? new String(secret, StandardCharsets.UTF_8) : null;
        } catch (IllegalArgumentException | KeyEncryption.UndecryptableKeyException unreadable) {
            return null;
        }
    }

    /** A page that shows the secret (or finds one it cannot open): clears the cookie, so it is shown once. */
    public Response clearing(Response page, String pagePath) {
        return Response.fromResponse(page).cookie(cookie(pagePath, "", 0)).build();
    }

    private String bound(String clientId, long expires, String nonce) {
        return "meltano console client secret\n" + clientId + "\n" + expires + "\n" + nonce + "\n" + admin.csrf();
    }

    private NewCookie cookie(String path, String value, int maxAge) {
        return new NewCookie.Builder(SECRET).value(value).path(path).httpOnly(true).secure(issuer.isHttps())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }
}
