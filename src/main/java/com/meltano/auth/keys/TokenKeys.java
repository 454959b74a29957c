package com.meltano.auth.keys;

import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.meltano.auth.config.AuthConfig;

import io.quarkus.runtime.StartupEvent;

/**
 * Where new signing keys are made (SPEC section 15), decided once at start: in the PKCS#11 token
 * when {@code MELTANO_AUTH_PKCS11_LIBRARY}, {@code ..._TOKEN_LABEL} and {@code ..._PIN} are set,
 * else in software (the default, wrapped under the key-encryption key). The token is opened before
 * the signing keys load, so a wrong module, label or PIN stops the start with one line.
 */
@ApplicationScoped
public class TokenKeys {

    private static final Logger LOG = Logger.getLogger(TokenKeys.class);

    @Inject
    AuthConfig config;

    private volatile Optional<Pkcs11Token> token = Optional.empty();

    void onStart(@Observes @Priority(90) StartupEvent event) {
        open();
    }

    /** Idempotent: the first caller opens the token (the key table may be read before the startup observers run). */
    synchronized Optional<Pkcs11Token> open() {
        if (token.isEmpty() && config.auth().pkcs11Library().isPresent()) {
            AuthConfig.Auth auth = config.auth();
            token = Optional.of(Pkcs11Token.open(auth.pkcs11Library().get(), auth.pkcs11TokenLabel().orElse(""),
                    auth.pkcs11Pin().orElse("")));
            LOG.infof("signing keys are generated and used inside the PKCS#11 token labelled %s", auth.pkcs11TokenLabel().orElse(""));
        }
        return token;
    }

    /** The token, when signing keys live in one. */
    public Optional<Pkcs11Token> token() {
        return token.isPresent() ? token : open();
    }
}
