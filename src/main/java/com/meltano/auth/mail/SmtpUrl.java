package com.meltano.auth.mail;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * {@code MELTANO_AUTH_SMTP_URL} (SPEC section 12): {@code smtp://host[:port]} (port 25 by default;
 * STARTTLS is used whenever the server offers it, and required before a login to a server off this
 * machine) or {@code smtps://host[:port]} (TLS from the first byte, port 465 by default). Credentials never go in the URL (a URL ends up in logs and process
 * lists): they have their own variables.
 */
public record SmtpUrl(String host, int port, boolean tls) {

    public static SmtpUrl parse(String raw) {
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("must be smtp://host:port or smtps://host:port");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("smtp") && !scheme.equals("smtps") || uri.getHost() == null) {
            throw new IllegalArgumentException("must be smtp://host:port or smtps://host:port");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("must not contain credentials (use MELTANO_AUTH_SMTP_USERNAME and MELTANO_AUTH_SMTP_PASSWORD)");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null || !(uri.getRawPath() == null || uri.getRawPath().isEmpty()
                || uri.getRawPath().equals("/"))) {
            throw new IllegalArgumentException("must be smtp://host:port or smtps://host:port, with no path or query");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("the port must be between 1 and 65535");
        }
        boolean tls = scheme.equals("smtps");
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new SmtpUrl(host, uri.getPort() == -1 ? (tls ? 465 : 25) : uri.getPort(), tls);
    }

    /** Whether the server is on this machine ({@code localhost}, 127.0.0.0/8, {@code ::1}): nothing it receives crosses a network. */
    public boolean loopback() {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") && h.chars().allMatch(c -> c == '.' || Character.isDigit(c))
                || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1");
    }
}
