package com.meltano.auth.keys;

import java.security.GeneralSecurityException;
import java.util.Optional;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.meltano.auth.common.Sql;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.StartupFailure;

import io.quarkus.narayana.jta.QuarkusTransaction;
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
    /** The label of the key-encryption key in the token. */
    static final String KEK_LABEL = "meltano-auth-kek";
    /** Advisory lock for creating it: not {@link SigningKeys#KEY_LOCK}, which the caller may hold in another transaction. */
    static final long KEK_LOCK = 727_003L;

    @Inject
    Sql db;

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

    /**
     * The key-encryption key inside the token (SPEC section 15), created by the first replica
     * (under an advisory lock, so replicas starting together agree on one key).
     */
    KeyEncryptionKey keyEncryptionKey(Pkcs11Token token) {
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                db.query("select pg_advisory_xact_lock(" + KEK_LOCK + ")").single();
                return token.keyEncryptionKey(KEK_LABEL);
            });
        } catch (RuntimeException e) {
            if (e.getCause() instanceof GeneralSecurityException || e instanceof IllegalStateException) {
                throw new StartupFailure(Pkcs11Token.TOKEN_LABEL, "the token cannot hold the key-encryption key ("
                        + (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName() + ")");
            }
            throw e;
        }
    }
}
