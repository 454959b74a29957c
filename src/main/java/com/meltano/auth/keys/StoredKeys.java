package com.meltano.auth.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Plain-JDBC look at what is stored under the key-encryption key, usable before the framework
 * starts. A wrong key-encryption key must stop the server, never lead to fresh keys overwriting
 * the old ones.
 */
public final class StoredKeys {

    private StoredKeys() {
    }

    /**
     * Decrypts one row of each table that holds wrapped keys (when the tables exist yet).
     *
     * @throws KeyEncryption.UndecryptableKeyException when the configured keys do not open them
     */
    public static void checkDecryptable(Connection c, KeyEncryption encryption) throws SQLException {
        checkTable(c, encryption, "select kid, kek_id, private_key from signing_key where private_key is not null", "signing_key");
        checkTable(c, encryption, "select name, kek_id, key_material from secret_key", "secret_key");
    }

    private static void checkTable(Connection c, KeyEncryption encryption, String sql, String table) throws SQLException {
        if (!tableExists(c, table)) {
            return;
        }
        try (PreparedStatement st = c.prepareStatement(sql); ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                if (KeyEncryptionKey.isInToken(rs.getString(2))) {
                    continue; // wrapped inside the PKCS#11 token: the server checks it once the token is open
                }
                encryption.decrypt(rs.getString(2), rs.getBytes(3), rs.getString(1));
            }
        }
    }

    private static boolean tableExists(Connection c, String table) throws SQLException {
        try (PreparedStatement st = c.prepareStatement("select to_regclass(?) is not null")) {
            st.setString(1, "public." + table);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }
}
