package com.meltano.auth.keys;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

import com.meltano.auth.config.Issuer;

/**
 * The one check of a JWT this server signed, for every place that accepts one back (introspection,
 * userinfo, the admin API, logout hints): signature by {@code kid} against the loaded keys with
 * the key's own {@code alg} (never {@code none}, never HMAC), {@code typ}, {@code iss} byte for
 * byte, {@code sub}, and {@code exp}. Expiry has no tolerance (SPEC section 4): our tokens carry
 * our own clock's times, so a token is expired from its {@code exp} second on; skew allowances
 * are for other parties' tokens.
 */
@ApplicationScoped
public class OwnTokens {

    /** What a token of ours is, by its {@code typ} header. */
    public enum Kind {
        /** RFC 9068 section 2.1. */
        ACCESS_TOKEN("at+jwt", "RS256", "ES256", "EdDSA"),
        /** ID tokens are always RS256 (OIDC Core 15.1). */
        ID_TOKEN("JWT", "RS256");

        private final String typ;
        private final String[] algs;

        Kind(String typ, String... algs) {
            this.typ = typ;
            this.algs = algs;
        }

        public String typ() {
            return typ;
        }
    }

    /** A token of ours whose signature, {@code typ}, {@code iss} and {@code sub} hold; {@code expired} from {@code exp} on. */
    public record Checked(JwtClaims claims, boolean expired) {
    }

    private final JwtConsumer accessTokens;
    private final JwtConsumer idTokens;
    private final String issuer;

    @Inject
    OwnTokens(SigningKeys keys, Issuer issuer) {
        this.issuer = issuer.value();
        this.accessTokens = consumer(keys, Kind.ACCESS_TOKEN);
        this.idTokens = consumer(keys, Kind.ID_TOKEN);
    }

    /** @return empty for anything that is not a token of ours of this kind (malformed, forged, unknown key) */
    public Optional<Checked> check(String jwt, Kind kind) {
        if (jwt == null || jwt.isEmpty() || jwt.length() > 64 * 1024) {
            return Optional.empty();
        }
        try {
            JwtContext context = (kind == Kind.ACCESS_TOKEN ? accessTokens : idTokens).process(jwt);
            String typ = context.getJoseObjects().get(0).getHeaders().getStringHeaderValue("typ");
            JwtClaims claims = context.getJwtClaims();
            NumericDate exp = claims.getExpirationTime();
            if (!kind.typ().equals(typ) || !issuer.equals(claims.getIssuer()) || claims.getSubject() == null || exp == null) {
                return Optional.empty();
            }
            return Optional.of(new Checked(claims, Instant.now().getEpochSecond() >= exp.getValue()));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static JwtConsumer consumer(SigningKeys keys, Kind kind) {
        return new JwtConsumerBuilder()
                .setSkipAllDefaultValidators() // typ, iss, sub and exp are checked in check(), exactly and without skew
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, kind.algs)
                .setVerificationKeyResolver((jws, nesting) -> {
                    String kid = jws.getKeyIdHeaderValue();
                    SigningKey key = kid == null ? null : keys.byKid(kid).orElse(null);
                    if (key == null || !key.alg().jwsName().equals(jws.getAlgorithmHeaderValue())) {
                        throw new UnresolvableKeyException("unknown key");
                    }
                    return key.publicKey();
                })
                .build();
    }
}
