package com.meltano.auth.verifier;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.nimbusds.jose.util.JSONObjectUtils;

/**
 * Verifies Meltano Auth access tokens offline (SPEC sections 7 and 8): built from the issuer URL,
 * it reads the discovery document once and caches the JWKS. Checks, in order: the compact JWS
 * form; {@code alg} in the allow-list (RS256, ES256, EdDSA by default; never {@code none} nor
 * HMAC); {@code typ} {@code at+jwt} (RFC 9068 section 4; an ID token is refused); no {@code jwk},
 * {@code jku}, {@code x5u}, {@code x5c} or {@code crit} header (keys come from the issuer only); a
 * plain {@code kid}; the signature with the issuer's key for that {@code kid}; {@code iss}
 * exactly; {@code aud} containing the audience; {@code exp} and {@code nbf} with a small skew.
 * A verified token is remembered until it expires, so checking it again costs a map lookup.
 *
 * <pre>{@code
 * TokenVerifier verifier = TokenVerifier.forIssuer("https://auth.example.com").build();
 * VerifiedToken token = verifier.verify(bearer);            // TokenVerificationException -> 401
 * if (!token.allows("view:design", "finance.q1")) { ... }   // -> 403
 * }</pre>
 *
 * Thread-safe; build one per issuer and share it.
 */
public final class TokenVerifier {

    /** Tokens longer than this are refused unread. */
    static final int MAX_TOKEN_LENGTH = 16 * 1024;
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
    private static final Set<String> FORBIDDEN_HEADERS = Set.of("jwk", "jku", "x5u", "x5c", "crit");
    private static final Set<String> SUPPORTED = Set.of("RS256", "ES256", "EdDSA");
    private static final Base64.Decoder B64URL = Base64.getUrlDecoder();

    private final String issuer;
    private final String audience;
    private final Set<String> algorithms;
    private final Duration skew;
    private final Clock clock;
    private final KeySource keys;
    private final int cacheSize;
    private final ConcurrentHashMap<String, VerifiedToken> verified = new ConcurrentHashMap<>();

    private TokenVerifier(Builder b) {
        this.issuer = b.issuer;
        this.audience = b.audience;
        this.algorithms = Set.copyOf(b.algorithms);
        this.skew = b.skew;
        this.clock = b.clock;
        this.cacheSize = b.cacheSize;
        HttpClient http = HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.keys = new KeySource(b.issuer, http, b.timeout, b.jwksCooldown, b.jwksRefresh, b.clock);
    }

    /** A builder for tokens of this issuer: its URL exactly as in the tokens' {@code iss}. */
    public static Builder forIssuer(String issuer) {
        return new Builder(issuer);
    }

    /**
     * The token's claims when every check passes.
     *
     * @param token the compact JWS from {@code Authorization: Bearer}
     * @throws TokenVerificationException naming the first check that failed
     */
    public VerifiedToken verify(String token) throws TokenVerificationException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new TokenVerificationException("no token, or a token too long");
        }
        Instant now = clock.instant();
        VerifiedToken known = verified.get(token);
        if (known != null) {
            if (now.isBefore(known.expiresAt().plus(skew))) {
                return known;
            }
            verified.remove(token);
            throw new TokenVerificationException("the token has expired");
        }
        VerifiedToken fresh = verifyUncached(token, now);
        remember(token, fresh, now);
        return fresh;
    }

    private VerifiedToken verifyUncached(String token, Instant now) throws TokenVerificationException {
        int dot1 = token.indexOf('.');
        int dot2 = dot1 < 0 ? -1 : token.indexOf('.', dot1 + 1);
        if (dot1 <= 0 || dot2 < 0 || token.indexOf('.', dot2 + 1) >= 0 || dot2 == token.length() - 1) {
            throw new TokenVerificationException("not a signed JWT (JWS compact serialization)");
        }
        Map<String, Object> header = json(token.substring(0, dot1), "header");
        Object alg = header.get("alg");
        if (!(alg instanceof String a) || !algorithms.contains(a)) {
            throw new TokenVerificationException("algorithm not accepted");
        }
        Object typ = header.get("typ");
        if (!(typ instanceof String t) || !("at+jwt".equalsIgnoreCase(t) || "application/at+jwt".equalsIgnoreCase(t))) {
            throw new TokenVerificationException("not an access token (typ must be at+jwt)");
        }
        for (String h : FORBIDDEN_HEADERS) {
            if (header.containsKey(h)) {
                throw new TokenVerificationException("header parameter " + h + " is not accepted");
            }
        }
        if (!(header.get("kid") instanceof String kid) || !KID.matcher(kid).matches()) {
            throw new TokenVerificationException("missing or malformed kid");
        }
        VerificationKey key = keys.key(kid);
        if (key == null) {
            throw new TokenVerificationException("unknown signing key");
        }
        if (!key.alg().equals(alg)) {
            throw new TokenVerificationException("the key's algorithm differs from the token's");
        }
        byte[] signature;
        try {
            signature = B64URL.decode(token.substring(dot2 + 1));
        } catch (IllegalArgumentException e) {
            throw new TokenVerificationException("malformed signature");
        }
        if (!key.verify(token.substring(0, dot2).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new TokenVerificationException("invalid signature");
        }
        Map<String, Object> claims = json(token.substring(dot1 + 1, dot2), "payload");
        if (!issuer.equals(claims.get("iss"))) {
            throw new TokenVerificationException("issued by another issuer");
        }
        Object aud = claims.get("aud");
        boolean forUs = aud instanceof String s ? s.equals(audience) : aud instanceof List<?> l && l.contains(audience);
        if (!forUs) {
            throw new TokenVerificationException("not meant for this audience");
        }
        if (!(claims.get("exp") instanceof Number exp)) {
            throw new TokenVerificationException("no expiry");
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.longValue());
        if (!now.isBefore(expiresAt.plus(skew))) {
            throw new TokenVerificationException("the token has expired");
        }
        if (claims.get("nbf") instanceof Number nbf && now.plus(skew).isBefore(Instant.ofEpochSecond(nbf.longValue()))) {
            throw new TokenVerificationException("the token is not valid yet");
        }
        if (!(claims.get("sub") instanceof String)) {
            throw new TokenVerificationException("no subject");
        }
        return new VerifiedToken(claims, expiresAt);
    }

    private void remember(String token, VerifiedToken t, Instant now) {
        if (cacheSize == 0) {
            return;
        }
        if (verified.size() >= cacheSize) {
            verified.values().removeIf(v -> !now.isBefore(v.expiresAt().plus(skew)));
            if (verified.size() >= cacheSize) {
                verified.clear();
            }
        }
        verified.put(token, t);
    }

    private static Map<String, Object> json(String part, String what) throws TokenVerificationException {
        try {
            return JSONObjectUtils.parse(new String(B64URL.decode(part), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | ParseException e) {
            throw new TokenVerificationException("malformed " + what);
        }
    }

    /** Settings; only the issuer is required. */
    public static final class Builder {
        private final String issuer;
        private String audience = "meltano";
        private Set<String> algorithms = SUPPORTED;
        private Duration skew = Duration.ofSeconds(30);
        private Duration jwksCooldown = Duration.ofSeconds(30);
        private Duration jwksRefresh = Duration.ofMinutes(5);
        private Duration timeout = Duration.ofSeconds(5);
        private int cacheSize = 100_000;
        private Clock clock = Clock.systemUTC();

        private Builder(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            if (issuer.endsWith("/")) {
                throw new IllegalArgumentException("issuer: exactly as in the tokens' iss, without a trailing slash");
            }
        }

        /** The expected {@code aud} value (default {@code meltano}). */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** A subset of RS256, ES256 and EdDSA (default: all three). */
        public Builder algorithms(Set<String> algorithms) {
            if (algorithms.isEmpty() || !SUPPORTED.containsAll(algorithms)) {
                throw new IllegalArgumentException("algorithms: a non-empty subset of " + SUPPORTED);
            }
            this.algorithms = Set.copyOf(algorithms);
            return this;
        }

        /** Tolerated clock difference for {@code exp} and {@code nbf} (default 30 s, at most 5 min). */
        public Builder clockSkew(Duration skew) {
            if (skew.isNegative() || skew.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("clockSkew: between 0 and 5 minutes");
            }
            this.skew = skew;
            return this;
        }

        /** Least time between two JWKS fetches caused by unknown {@code kid}s (default 30 s). */
        public Builder jwksCooldown(Duration cooldown) {
            this.jwksCooldown = Objects.requireNonNull(cooldown, "cooldown");
            return this;
        }

        /** How old the cached JWKS may get before it is fetched again on use (default 5 min). */
        public Builder jwksRefresh(Duration refresh) {
            this.jwksRefresh = Objects.requireNonNull(refresh, "refresh");
            return this;
        }

        /** Connect and read timeout towards the issuer (default 5 s). */
        public Builder timeout(Duration timeout) {
            this.timeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** How many verified tokens to remember until they expire (default 100,000). */
        public Builder cacheSize(int size) {
            if (size < 0) {
                throw new IllegalArgumentException("cacheSize: not negative");
            }
            this.cacheSize = size;
            return this;
        }

        /** For tests. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public TokenVerifier build() {
            return new TokenVerifier(this);
        }
    }
}
