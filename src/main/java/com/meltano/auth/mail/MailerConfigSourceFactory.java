package com.meltano.auth.mail;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Turns the SPEC section 12 variables into the settings of quarkus-mailer, which reads its own
 * {@code quarkus.mailer.*} names: host, port and TLS from {@code MELTANO_AUTH_SMTP_URL}, the
 * credentials from their variables. The mailer's mock mode (on by default in dev and test, where it
 * prints mails, links included, to the log) is always off: a mail either goes to the configured
 * server or is not sent. With {@code smtp://} STARTTLS is used when the server offers it, and
 * required when a password is to be sent to a server off this machine: otherwise an attacker on
 * the path could strip the server's STARTTLS offer and read the password. A send gives up after
 * {@value #SEND_TIMEOUT} (the mailer's default is 60 s, as long as the transaction that holds the
 * outbox row: a relay that never answers, such as a firewall dropping port 25, would then abort
 * that transaction instead of counting a failed attempt). An unparsable URL yields nothing here;
 * start-up validation reports it.
 * Ordinal 275: above application.properties, below environment variables.
 */
public class MailerConfigSourceFactory implements ConfigSourceFactory {

    /** Well under the 60 s transaction timeout the send runs in ({@link OutboxSender}). */
    static final String SEND_TIMEOUT = "PT20S";

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> settings = new HashMap<>();
        settings.put("quarkus.mailer.mock", "false");
        settings.put("quarkus.mailer.timeout", SEND_TIMEOUT);
        String username = value(context, "meltano.auth.smtp-username");
        String url = value(context, "meltano.auth.smtp-url");
        if (url != null) {
            try {
                SmtpUrl smtp = SmtpUrl.parse(url);
                settings.put("quarkus.mailer.host", smtp.host());
                settings.put("quarkus.mailer.port", Integer.toString(smtp.port()));
                settings.put("quarkus.mailer.tls", Boolean.toString(smtp.tls()));
                settings.put("quarkus.mailer.start-tls", smtp.tls() ? "DISABLED"
                        : username != null && !smtp.loopback() ? "REQUIRED" : "OPTIONAL");
            } catch (IllegalArgumentException e) {
                // reported, with the variable's name, by the start-up validation
            }
        }
        if (username != null) {
            settings.put("quarkus.mailer.username", username);
            settings.put("quarkus.mailer.login", "REQUIRED");
        }
        String password = value(context, "meltano.auth.smtp-password");
        if (password != null) {
            settings.put("quarkus.mailer.password", password);
        }
        return List.of(new MapBackedConfigSource("meltano-auth-mail", settings, 275) {
            private static final long serialVersionUID = 1L;
        });
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue v = context.getValue(name);
        return v == null || v.getValue() == null || v.getValue().isBlank() ? null : v.getValue();
    }
}
