package com.meltano.auth.oauth2.token.grant;

import java.util.function.Supplier;

import com.meltano.auth.oauth2.OAuthError;
import com.meltano.auth.oauth2.token.TokenResponse;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The result of a grant that runs in one transaction whose writes must commit even when the
 * request fails (a burnt code, a revoked grant after a replay): failures are returned from the
 * transaction and thrown only after it committed.
 */
record Outcome(TokenResponse tokens, OAuthError error) {

    static Outcome failed(OAuthError e) {
        return new Outcome(null, e);
    }

    static Outcome issued(TokenResponse tokens) {
        return new Outcome(tokens, null);
    }

    /** Runs {@code work} in a new transaction, commits, then returns the tokens or throws the error. */
    static TokenResponse inTransaction(Supplier<Outcome> work) {
        Outcome outcome = QuarkusTransaction.requiringNew().call(work::get);
        if (outcome.error() != null) {
            throw outcome.error();
        }
        return outcome.tokens();
    }
}
