package com.meltano.auth.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PKCS#11 token for the tests of SPEC section 15: SoftHSM2 (Debian's {@code softhsm2},
 * installed by {@code .ci/test-deps}) with its own token directory in a temporary directory, so
 * nothing outside the test run is read or written. {@link #conf} is what {@code SOFTHSM2_CONF}
 * must name in the process that loads the module.
 */
public final class SoftHsm {

    public static final String MODULE = "/usr/lib/softhsm/libsofthsm2.so";
    public static final String PIN = "test-user-pin-3141";
    private static final String SO_PIN = "test-so-pin-2718";

    private final Path conf;

    private SoftHsm(Path conf) {
        this.conf = conf;
    }

    /** A fresh token directory under {@code dir}, configured by {@code conf}; tokens are added with {@link #initToken}. */
    public static SoftHsm create(Path conf) {
        try {
            Path tokens = Files.createTempDirectory("meltano-auth-softhsm");
            Files.createDirectories(conf.toAbsolutePath().getParent());
            Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                    StandardCharsets.UTF_8);
            return new SoftHsm(conf.toAbsolutePath());
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare a SoftHSM2 token directory", e);
        }
    }

    public Path conf() {
        return conf;
    }

    /** Initializes a token with this label in the first free slot, with {@link #PIN} as its user PIN. */
    public SoftHsm initToken(String label) {
        run(List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN));
        return this;
    }

    private void run(List<String> command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("SOFTHSM2_CONF", conf.toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("softhsm2-util failed (is softhsm2 installed? .ci/test-deps does it): " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("softhsm2-util cannot run (.ci/test-deps installs softhsm2)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
