package com.meltano.auth.support;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Signing keys in a SoftHSM2 token for a {@code @QuarkusTest} (SPEC section 15). The module reads
 * {@code SOFTHSM2_CONF} once per JVM, so surefire points it at {@code target/softhsm2.conf} and
 * this resource writes that file, with a fresh token directory, once per test run.
 */
public class SoftHsmTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String LABEL = "meltano-auth-test";
    private static SoftHsm hsm;

    @Override
    public synchronized Map<String, String> start() {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set (surefire sets it to target/softhsm2.conf)");
        }
        synchronized (SoftHsmTestResource.class) {
            if (hsm == null) {
                hsm = SoftHsm.create(Path.of(conf)).initToken(LABEL);
            }
        }
        return Map.of("meltano.auth.pkcs11-library", SoftHsm.MODULE,
                "meltano.auth.pkcs11-token-label", LABEL,
                "meltano.auth.pkcs11-pin", SoftHsm.PIN);
    }

    @Override
    public void stop() {
        // the token directory is temporary; the module stays loaded for the JVM's life
    }
}
