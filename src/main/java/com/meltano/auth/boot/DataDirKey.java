package com.meltano.auth.boot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;

/**
 * In embedded mode only, the key-encryption key is generated once into the data directory, readable
 * by the owner alone (mode 0600), so that a newcomer's first start needs no secret at all.
 */
final class DataDirKey {

    static final String FILE_NAME = "key-encryption-key";

    private DataDirKey() {
    }

    static String readOrCreate(Path dataDir) throws IOException {
        return OwnerOnlyFile.readOrCreate(dataDir.resolve(FILE_NAME), 32, Base64.getEncoder());
    }
}
