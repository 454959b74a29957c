package com.meltano.auth.ops;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import com.meltano.auth.common.DatabaseOutage;

import io.quarkus.logging.LoggingFilter;

/**
 * quarkus-oidc logs a refused ID token with all its claims (email, name, groups of the person) or,
 * for a bad signature, the whole token; this filter keeps the line and its reason but withholds
 * the claims and any compact JWS in any log line. Installed on the log handlers in
 * application.properties.
 */
@LoggingFilter(name = "withhold-token-claims")
public final class TokenClaimsLogFilter implements Filter {

    private static final Pattern CLAIMS = Pattern.compile("claims->\\{.*\\}\\)");
    private static final Pattern JWS = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*");

    @Override
    public boolean isLoggable(LogRecord record) {
        // one handler filter only (Quarkus): the outage's per-request lines are withheld here too
        if (DatabaseOutage.absorbs(record)) {
            return false;
        }
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (carriesToken(message)) {
            String withheld = withhold(message);
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(withheld, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(withheld);
            }
            record.setParameters(null);
        }
        // quarkus-oidc wraps the refusal in exceptions whose messages repeat the claims or the token
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (carriesToken(t.getMessage())) {
                record.setThrown(withheld(record.getThrown()));
                break;
            }
        }
        return true;
    }

    private static boolean carriesToken(String s) {
        return s != null && (s.contains("claims->") || s.contains("eyJ"));
    }

    private static String withhold(String s) {
        return JWS.matcher(CLAIMS.matcher(s).replaceAll("claims withheld)")).replaceAll("(token withheld)");
    }

    /** The same chain of exception types and stack traces, messages with claims and tokens withheld. */
    private static Throwable withheld(Throwable t) {
        if (t == null) {
            return null;
        }
        String message = t.getMessage() == null ? null : withhold(t.getMessage());
        RuntimeException copy = new RuntimeException(t.getClass().getName() + (message == null ? "" : ": " + message),
                withheld(t.getCause() == t ? null : t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }
}
