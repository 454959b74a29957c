package com.meltano.auth.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;

import com.meltano.auth.config.StartupFailure;
import com.meltano.auth.keys.KeyEncryption;
import com.meltano.auth.keys.StoredKeys;

/**
 * Checks made with plain JDBC before Quarkus starts, so that their failures are one line: the
 * database answers, and the configured key-encryption key opens what is stored under it.
 */
final class Preflight {

    private Preflight() {
    }

    static void check(String url, String user, String password, KeyEncryption encryption) {
        Properties props = new Properties();
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("connectTimeout", "10");
        props.setProperty("loginTimeout", "15");
        try (Connection c = DriverManager.getConnection(url, props)) {
            if (encryption != null) {
                StoredKeys.checkDecryptable(c, encryption);
            }
        } catch (SQLException e) {
            throw new StartupFailure("QUARKUS_DATASOURCE_JDBC_URL", "cannot connect to the database ("
                    + firstLine(e.getMessage()) + ")");
        } catch (KeyEncryption.UndecryptableKeyException e) {
            throw new StartupFailure("MELTANO_AUTH_KEY_ENCRYPTION_KEY", e.getMessage()
                    + "; nothing was changed (set the key the data was encrypted with)");
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
