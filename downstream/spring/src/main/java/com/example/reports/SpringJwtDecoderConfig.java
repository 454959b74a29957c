package com.example.reports;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.security.oauth2.resource.OAuth2ResourceServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;

/**
 * Spring Security's own decoder (RS256, ES256). Spring Boot's YAML alone builds one that refuses
 * {@code typ: at+jwt}, and a {@code JwtDecoder} bean replaces what the YAML built, so this bean
 * reads the same properties (issuer, algorithms, audiences) itself. With
 * {@code reports.verifier=yaml} neither bean exists: downstream/run.sh shows that Spring Boot's
 * own decoder refuses valid tokens.
 */
@Configuration
@ConditionalOnProperty(name = "reports.verifier", havingValue = "spring", matchIfMissing = true)
class SpringJwtDecoderConfig {

    // --8<-- [start:spring-decoder]
    @Bean
    JwtDecoder jwtDecoder(OAuth2ResourceServerProperties properties) {
        OAuth2ResourceServerProperties.Jwt config = properties.getJwt();
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(config.getIssuerUri())
                .jwsAlgorithms(algorithms -> config.getJwsAlgorithms()
                        .forEach(name -> algorithms.add(SignatureAlgorithm.from(name)))) // RS256, ES256: no EdDSA
                .jwtProcessorCustomizer(processor -> processor.setJWSTypeVerifier(
                        new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt"))))
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(config.getIssuerUri()),
                new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                        aud -> aud != null && aud.stream().anyMatch(config.getAudiences()::contains))));
        return decoder;
    }
    // --8<-- [end:spring-decoder]
}
