package com.meltano.auth.ops;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

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
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        if (message != null && (message.contains("claims->") || message.contains("eyJ"))) {
            String withheld = JWS.matcher(CLAIMS.matcher(message).replaceAll("claims withheld)")).replaceAll("(token withheld)");
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(withheld, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(withheld);
            }
            record.setParameters(null);
        }
        return true;
    }
}
