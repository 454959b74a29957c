package com.meltano.auth.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the signing tests that need their own keys: access tokens signed with ES256
 * ({@code MELTANO_AUTH_SIGNING_ALG=ES256}; ID tokens stay RS256, so both algorithms rotate) and a
 * 1 s staging period, so that rotations complete within a test and stay away from the other
 * profiles' server and database.
 */
public class Es256ShortStaging implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("meltano.auth.signing-alg", "ES256", "meltano.auth.key-staging-period", "PT1S");
    }
}
