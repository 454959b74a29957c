package com.meltano.auth.account;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.throttle.Throttle;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Email + password sign-in (SPEC section 5): the same answer and comparable time for an unknown
 * email, a disabled account and a wrong password (a dummy hash is checked when there is no real
 * one), and failures throttled per (account, source address), never a lock a stranger can set off
 * against someone else from their own address. A hash stored at older Argon2id parameters is
 * replaced on the account's next successful sign-in.
 */
@ApplicationScoped
public class PasswordLogin {

    @Inject
    UserRepository users;

    @Inject
    PasswordHasher hasher;

    @Inject
    Throttle throttle;

    private volatile String dummyHash;

    /**
     * The user id on success; empty for any failure, whatever the cause.
     *
     * @throws Throttle.Throttled when the attempt may not be checked now (the caller says to wait)
     */
    public Optional<UUID> verify(String rawEmail, String password, String address) {
        Email email;
        try {
            email = Email.parse(rawEmail);
        } catch (IllegalArgumentException e) {
            hasher.verify(password == null ? "" : password, dummy());
            return Optional.empty();
        }
        String key = email.normalized();
        // the same reservation for a known and an unknown email: both are throttled alike
        Optional<UserEntity> user = QuarkusTransaction.joiningExisting().call(() -> users.findByEmail(email))
                .filter(u -> u.enabled && u.passwordHash != null);
        boolean ok = throttle.attempt(Throttle.Kind.ACCOUNT, key, address,
                () -> hasher.verify(password == null ? "" : password, user.map(u -> u.passwordHash).orElse(dummy()))
                        && user.isPresent());
        if (!ok) {
            return Optional.empty();
        }
        UserEntity u = user.get();
        if (!hasher.isCurrent(u.passwordHash)) {
            // a hash at older parameters: replaced now that the password is known, hashed outside a transaction
            String rehashed = hasher.hash(password);
            QuarkusTransaction.requiringNew().run(() -> users.replacePasswordHash(u.id, u.passwordHash, rehashed));
        }
        return Optional.of(u.id);
    }

    private String dummy() {
        String h = dummyHash;
        if (h == null) {
            h = hasher.hash("not a password of anyone " + UUID.randomUUID());
            dummyHash = h;
        }
        return h;
    }
}
