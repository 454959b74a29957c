package com.meltano.auth.boot;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
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
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String encoded = Base64.getEncoder().encodeToString(raw);
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                Files.writeString(file, encoded + "\n", StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException raced) {
                // another process created it first: use theirs
            } catch (UnsupportedOperationException noPosix) {
                Files.writeString(file, encoded + "\n", StandardCharsets.US_ASCII, StandardOpenOption.CREATE_NEW);
            }
        }
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
    }
}
