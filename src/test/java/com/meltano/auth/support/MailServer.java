package com.meltano.auth.support;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A real SMTP server for the mail tests (SPEC section 12): GreenMail on a random loopback port,
 * named by {@code MELTANO_AUTH_SMTP_URL}. Tests read what arrived, stop it (an SMTP outage) and
 * start it again on the same port. Never a mocked mailer: the server sends through its real SMTP
 * client and the mail is parsed as a mail client would.
 */
public class MailServer implements QuarkusTestResourceLifecycleManager {

    public static final String FROM = "auth@meltano.test";
    private static volatile GreenMail smtp;
    private static volatile int port;

    @Override
    public Map<String, String> start() {
        GreenMail server = newServer(0);
        server.start();
        port = server.getSmtp().getPort();
        smtp = server;
        Map<String, String> config = new HashMap<>();
        config.put("meltano.auth.smtp-url", "smtp://127.0.0.1:" + port);
        config.put("meltano.auth.mail-from", FROM);
        if (login != null) {
            config.put("meltano.auth.smtp-username", login);
            config.put("meltano.auth.smtp-password", configuredPassword != null ? configuredPassword : password);
        }
        return config;
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.stop();
        }
    }

    /** An SMTP outage: the server stops listening. */
    public static void stopServer() {
        smtp.stop();
    }

    /** The outage ends: a new server on the same port (what it had received is gone). */
    public static void startServer() {
        GreenMail server = newServer(port);
        server.start();
        smtp = server;
    }

    /** One received mail, as a reader sees it. */
    public record Received(String to, String from, String subject, String text, String html) {

        /** The first link in the plain-text body that starts with {@code prefix}. */
        public String link(String prefix) {
            Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\S*").matcher(text);
            if (!m.find()) {
                throw new AssertionError("no link starting with " + prefix + " in: " + text);
            }
            return m.group();
        }
    }

    /** Every mail received so far for {@code address}, oldest first. */
    public static List<Received> to(String address) {
        List<Received> out = new ArrayList<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            try {
                if (Arrays.stream(m.getRecipients(Message.RecipientType.TO)).anyMatch(a -> a.toString().equalsIgnoreCase(address))) {
                    out.add(read(m, address));
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Waits (at most {@code timeout}) until {@code address} has received {@code count} mails; returns them. */
    public static List<Received> await(String address, int count, Duration timeout) {
        Instant end = Instant.now().plus(timeout);
        while (true) {
            List<Received> got = to(address);
            if (got.size() >= count) {
                return got;
            }
            if (Instant.now().isAfter(end)) {
                throw new AssertionError("expected " + count + " mails to " + address + " within " + timeout + ", got " + got.size());
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The {@code n}th mail (1-based) to {@code address}, waiting up to 30 s for it. */
    public static Received nth(String address, int n) {
        return await(address, n, Duration.ofSeconds(30)).get(n - 1);
    }

    private static Received read(MimeMessage m, String to) throws MessagingException {
        String text = null;
        String html = null;
        try {
            Object content = m.getContent();
            if (content instanceof jakarta.mail.Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    var part = mp.getBodyPart(i);
                    Object c = part.getContent();
                    if (c instanceof jakarta.mail.Multipart inner) {
                        for (int j = 0; j < inner.getCount(); j++) {
                            var p = inner.getBodyPart(j);
                            if (p.isMimeType("text/plain")) {
                                text = (String) p.getContent();
                            } else if (p.isMimeType("text/html")) {
                                html = (String) p.getContent();
                            }
                        }
                    } else if (part.isMimeType("text/plain")) {
                        text = (String) c;
                    } else if (part.isMimeType("text/html")) {
                        html = (String) c;
                    }
                }
            } else {
                text = GreenMailUtil.getBody(m);
            }
        } catch (java.io.IOException e) {
            throw new MessagingException("unreadable mail", e);
        }
        return new Received(to, m.getFrom()[0].toString(), m.getSubject(), text, html);
    }

    /** The SMTP login and password the server requires with {@link WithLogin}; null: no login. */
    private static volatile String login;
    private static volatile String password;
    /** What the server under test is given as its SMTP password, when not {@link #password}. */
    private static volatile String configuredPassword;

    /** Mail on, against this server, which takes a login ({@code MELTANO_AUTH_SMTP_USERNAME}, {@code MELTANO_AUTH_SMTP_PASSWORD}). */
    public static class WithLogin implements QuarkusTestProfile {
        public static final String LOGIN = "relay-login";
        public static final String PASSWORD = "Relay-Secret-" + java.util.UUID.randomUUID();

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MailServer.class, Map.of("login", LOGIN, "password", PASSWORD)));
        }
    }

    @Override
    public void init(Map<String, String> initArgs) {
        login = initArgs.get("login");
        password = initArgs.get("password");
        configuredPassword = initArgs.get("configured-password");
    }

    /**
     * GreenMail on 127.0.0.1 ({@code port} 0: a free one). With a login configured, it knows that
     * user and answers a wrong password with 535, so a mail that arrives proves the login worked.
     */
    private static GreenMail newServer(int port) {
        GreenMail server = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        if (login != null) {
            server.withConfiguration(GreenMailConfiguration.aConfig().withUser(FROM, login, password));
        }
        return server;
    }

    /** Mail on, against this server, with a login it refuses (a wrong {@code MELTANO_AUTH_SMTP_PASSWORD}). */
    public static class WrongPassword implements QuarkusTestProfile {
        public static final String CONFIGURED = "Wrong-Relay-Secret-" + java.util.UUID.randomUUID();

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(MailServer.class, Map.of("login", WithLogin.LOGIN, "password", WithLogin.PASSWORD,
                    "configured-password", CONFIGURED)));
        }
    }
}
