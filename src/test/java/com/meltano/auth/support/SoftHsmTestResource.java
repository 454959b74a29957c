package com.meltano.auth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Signing keys in a SoftHSM2 token for a {@code @QuarkusTest} (SPEC section 15). The module reads
 * {@code SOFTHSM2_CONF} once per JVM, so surefire points it at {@code target/softhsm2.conf} and
 * this resource writes that file, with a fresh token directory, once per test run. The server
 * loads the module through a path with a space in it.
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
        return Map.of("meltano.auth.pkcs11-library", moduleOnAPathWithSpaces(Path.of(conf).getParent()),
                "meltano.auth.pkcs11-token-label", LABEL,
                "meltano.auth.pkcs11-pin", SoftHsm.PIN);
    }

    /** The module through a link in a directory named with a space, as "Program Files"-like paths are. */
    private static String moduleOnAPathWithSpaces(Path dir) {
        try {
            Path link = dir.resolve("pkcs11 modules").resolve("libsofthsm2.so");
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            Files.createSymbolicLink(link, Path.of(SoftHsm.MODULE));
            return link.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // the token directory is temporary; the module stays loaded for the JVM's life
    }
}
