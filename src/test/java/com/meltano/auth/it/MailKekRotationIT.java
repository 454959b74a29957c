package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * SPEC sections 3 and 12: a mail queued during an SMTP outage survives a rotation of the
 * key-encryption key. The start with {@code MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS} re-encrypts
 * it with the rest, so once the previous key is gone and SMTP is back the mail is still sent.
 */
@ProcessLevel
class MailKekRotationIT {

    private static final String CLIENT_ID = "it-mail-kek-admin";
    private static final String KEK = "MELTANO_AUTH_KEY_ENCRYPTION_KEY";

    @TempDir
    Path tmp;

    private ServerProcess server;
    private GreenMail smtp;

    @AfterEach
    void stopAll() {
        if (server != null) {
            server.stop();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Test
    void mailQueuedUnderPreviousKeyThenSentAfterRotationCompletes() throws Exception {
        Path dataDir = tmp.resolve("data");
        String k1 = ItSupport.newKek();
        String k2 = ItSupport.newKek();
        String secret = ItSupport.newSecret();
        int smtpPort = ServerProcess.freePort(); // nothing listens there yet: SMTP is down
        Map<String, String> base = Map.of("MELTANO_AUTH_ADMIN_CLIENT_ID", CLIENT_ID, "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret,
                "MELTANO_AUTH_SMTP_URL", "smtp://127.0.0.1:" + smtpPort, "MELTANO_AUTH_MAIL_FROM", "auth@kek.test");
        String email = "kek-mail-" + System.nanoTime() + "@example.com";

        // 1. under K1, SMTP down: the reset mail is queued, sealed under K1
        server = ServerProcess.start("mail-kek-1-k1", dataDir, with(base, KEK, k1));
        String admin = ItSupport.clientCredentialsToken(server.baseUrl(), CLIENT_ID, secret);
        ItSupport.Reply created = ItSupport.postJson(server.baseUrl() + "/admin/api/users", admin,
                Map.of("email", email, "password", "kek-mail-password-1"));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(forgot(server, email)).isEqualTo("/forgot-password?sent=1");
        server.stop();

        // 2. rotation: K2 current, K1 previous (SMTP still down)
        Map<String, String> rotating = with(with(base, KEK, k2), "MELTANO_AUTH_KEY_ENCRYPTION_KEY_PREVIOUS", k1);
        server = ServerProcess.start("mail-kek-2-rotate", dataDir, rotating);
        assertThat(server.output()).contains("re-encrypted 1 queued mails under the current key-encryption key");
        server.stop();

        // 3. K2 alone, SMTP back: the mail is opened and sent
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        server = ServerProcess.start("mail-kek-3-k2-only", dataDir, with(base, KEK, k2));
        MimeMessage mail = awaitMail(Duration.ofSeconds(60));
        assertThat(mail.getSubject()).isEqualTo("Set a new password");
        assertThat(mail.getAllRecipients()[0].toString()).isEqualTo(email);
        assertThat(server.output()).doesNotContain("dropped").doesNotContain(k1).doesNotContain(k2);
    }

    private MimeMessage awaitMail(Duration timeout) throws InterruptedException {
        Instant end = Instant.now().plus(timeout);
        while (smtp.getReceivedMessages().length == 0) {
            assertThat(Instant.now()).as("no mail within %s; server output:%n%s", timeout, server.output()).isBefore(end);
            Thread.sleep(200);
        }
        List<MimeMessage> all = List.of(smtp.getReceivedMessages());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static String forgot(ServerProcess server, String email) throws Exception {
        ItBrowser browser = new ItBrowser();
        HttpResponse<String> page = browser.get(server.baseUrl() + "/forgot-password");
        assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> sent = browser.post(server.baseUrl() + "/forgot-password", Map.of("email", email, "csrf", csrf.group(1)), null);
        assertThat(sent.statusCode()).isEqualTo(303);
        return sent.headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
    }

    private static Map<String, String> with(Map<String, String> env, String name, String value) {
        Map<String, String> out = new HashMap<>(env);
        out.put(name, value);
        return out;
    }
}
