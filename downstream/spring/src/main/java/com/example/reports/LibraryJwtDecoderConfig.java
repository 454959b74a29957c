package com.example.reports;

import java.time.Instant;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

import com.meltano.auth.verifier.TokenVerificationException;
import com.meltano.auth.verifier.TokenVerifier;
import com.meltano.auth.verifier.VerifiedToken;

/**
 * EdDSA deployments: Spring Security's NimbusJwtDecoder has no EdDSA ({@code SignatureAlgorithm}
 * lists RS, ES and PS only), so the verifier library (RS256, ES256, EdDSA) decodes instead.
 */
@Configuration
@ConditionalOnProperty(name = "reports.verifier", havingValue = "library")
class LibraryJwtDecoderConfig {

    // --8<-- [start:library-decoder]
    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties) {
        TokenVerifier verifier = TokenVerifier.forIssuer(properties.getJwt().getIssuerUri()).build();
        return token -> {
            try {
                VerifiedToken verified = verifier.verify(token); // signature, typ, iss, aud, exp
                return Jwt.withTokenValue(token)
                        .header("typ", "at+jwt")
                        .claims(claims -> claims.putAll(verified.claims()))
                        .issuedAt(Instant.ofEpochSecond(((Number) verified.claims().get("iat")).longValue()))
                        .expiresAt(verified.expiresAt())
                        .build();
            } catch (TokenVerificationException e) {
                throw new BadJwtException(e.getMessage(), e); // 401
            }
        };
    }
    // --8<-- [end:library-decoder]
}
