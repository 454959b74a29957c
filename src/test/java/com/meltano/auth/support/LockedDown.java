package com.meltano.auth.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of a locked-down deployment: registration closed
 * ({@code MELTANO_AUTH_REGISTRATION=closed}: accounts come only from admins) and unverified
 * accounts get no tokens ({@code MELTANO_AUTH_REQUIRE_VERIFIED_EMAIL=true}), with mail on against
 * {@link MailServer} for the verification links.
 */
public class LockedDown implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MailServer.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("meltano.auth.registration", "closed", "meltano.auth.require-verified-email", "true");
    }
}
