package com.meltano.auth.ops;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.meltano.auth.keys.SigningKeys;

/** Ready only when the database answers and the signing keys are loaded (SPEC section 10). */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    DataSource dataSource;

    @Inject
    SigningKeys keys;

    @Override
    public HealthCheckResponse call() {
        boolean database;
        try (var c = dataSource.getConnection()) {
            database = c.isValid(2);
        } catch (Exception e) {
            database = false;
        }
        boolean signing = keys.ready();
        return HealthCheckResponse.named("meltano-auth")
                .status(database && signing)
                .withData("database", database)
                .withData("signing_key", signing)
                .build();
    }
}
