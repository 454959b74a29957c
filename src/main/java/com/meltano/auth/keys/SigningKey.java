package com.meltano.auth.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.meltano.auth.config.SigningAlgorithm;

/**
 * A signing key decoded once and kept in memory: per-request key decoding or JWK building costs
 * more than the signature itself. {@link #sign} produces a JWS compact serialization (RFC 7515
 * section 7.1); the signature primitive is the PKCS#11 token's for a key in a token, else AWS-LC's or,
 * where it cannot load, the JDK's and Bouncy Castle's ({@link SoftwareSigners}).
 */
public final class SigningKey {

    public enum Status { STAGED, ACTIVE, RETIRED }

    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final String kid;
    private final SigningAlgorithm alg;
    private final Status status;
    /** For a staged key: when it starts signing, on every replica, by the clock (not by a reload). */
    private final Instant activatesAt;
    /** For an active key: since when (the newest active key of another algorithm stands in during an algorithm switch). */
    private final Instant activatedAt;
    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final Map<String, String> publicJwk;
    /** The base64url protected header per {@code typ}, built once. */
    private final Map<String, String> encodedHeaders = new ConcurrentHashMap<>();
    /** The PKCS#11 token that holds {@link #privateKey} and signs (SPEC section 15); null for a software key. */
    private final Pkcs11Token token;
    /** Made by the first signature, so that a start loads no signing library; racing threads may each make one. */
    private volatile Signer signer;

    SigningKey(String kid, SigningAlgorithm alg, Status status, Instant activatesAt, Instant activatedAt, PrivateKey privateKey,
            PublicKey publicKey, Map<String, String> publicJwk) {
        this(kid, alg, status, activatesAt, activatedAt, privateKey, publicKey, publicJwk, null);
    }

    SigningKey(String kid, SigningAlgorithm alg, Status status, Instant activatesAt, Instant activatedAt, PrivateKey privateKey,
            PublicKey publicKey, Map<String, String> publicJwk, Pkcs11Token token) {
        this.token = token;
        this.kid = kid;
        this.alg = alg;
        this.status = status;
        this.activatesAt = activatesAt;
        this.activatedAt = activatedAt;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.publicJwk = Map.copyOf(publicJwk);
    }

    public String kid() {
        return kid;
    }

    public SigningAlgorithm alg() {
        return alg;
    }

    public Status status() {
        return status;
    }

    /** Whether this key signs at {@code now}: active, or staged and due (the database row catches up later). */
    boolean signsAt(Instant now) {
        return status == Status.ACTIVE || status == Status.STAGED && activatesAt != null && !activatesAt.isAfter(now);
    }

    /** When it began (or begins) signing; {@link Instant#MIN} when unknown. */
    Instant signingSince() {
        Instant since = status == Status.STAGED ? activatesAt : activatedAt;
        return since == null ? Instant.MIN : since;
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    /** Public members only, with {@code kid}, {@code alg} and {@code use}. */
    public Map<String, String> publicJwk() {
        return publicJwk;
    }

    /**
     * Signs {@code payload} (UTF-8 JSON) under a protected header with this key's {@code alg} and
     * {@code kid} and the given {@code typ} ({@code at+jwt} for access tokens, RFC 9068 section 2.1).
     */
    public String sign(String typ, byte[] payload) {
        String signingInput = encodedHeaders.computeIfAbsent(typ, this::encodedHeader) + "." + B64URL.encodeToString(payload);
        try {
            return signingInput + "." + B64URL.encodeToString(signer().sign(signingInput.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("signing with key " + kid + " failed", e);
        }
    }

    private String encodedHeader(String typ) {
        String header = "{\"alg\":\"" + alg.jwsName() + "\",\"typ\":\"" + typ + "\",\"kid\":\"" + kid + "\"}";
        return B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8));
    }

    private Signer signer() throws GeneralSecurityException {
        Signer s = signer;
        if (s == null) {
            s = token != null ? token.signer(alg, privateKey) : SoftwareSigners.of(alg, privateKey);
            signer = s;
        }
        return s;
    }

    @Override
    public String toString() {
        return "SigningKey[" + kid + " " + alg + " " + status + "]";
    }
}
