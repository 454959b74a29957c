package com.meltano.auth.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.meltano.auth.keys.SigningKeys;

/**
 * Ready only when the database takes writes (the heartbeat's last probe, not a query per call:
 * the endpoint stays cheap) and the signing keys are loaded (SPEC section 10).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    DatabaseHeartbeat heartbeat;

    @Inject
    SigningKeys keys;

    @Override
    public HealthCheckResponse call() {
        DatabaseHeartbeat.Result db = heartbeat.current();
        boolean signing = keys.ready();
        var response = HealthCheckResponse.named("meltano-auth")
                .status(db.writable() && signing)
                .withData("database", db.writable())
                .withData("signing_key", signing);
        if (!db.writable()) {
            response.withData("database_problem", db.reason());
        }
        return response.build();
    }
}
