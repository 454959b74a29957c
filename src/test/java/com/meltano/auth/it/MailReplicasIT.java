package com.meltano.auth.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Message;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.meltano.auth.support.Parallel;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * SPEC sections 10 and 12: two replicas share one PostgreSQL and one SMTP relay, and each queued
 * mail is sent exactly once, whichever replica queued it and whichever picks it up (the outbox
 * rows are claimed with {@code FOR UPDATE SKIP LOCKED}). A backlog built up while the relay was
 * down is what both replicas' senders race for once it is back.
 */
@ProcessLevel
class MailReplicasIT {

    private static final String ADMIN_ID = "mail-replicas-admin";
    private static final String PASSWORD = "mail-replicas-password-1";
    private static final String RESET_SUBJECT = "Set a new password";
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path tmp;

    private EmbeddedPostgres pg;
    private GreenMail smtp;
    private int smtpPort;
    private ServerProcess one;
    private ServerProcess two;
    private String adminToken;

    @BeforeEach
    void twoReplicasOneRelay() throws Exception {
        pg = EmbeddedPostgres.builder().start();
        startRelay(0);
        String secret = ItSupport.newSecret();
        Map<String, String> env = Map.of(
                "QUARKUS_DATASOURCE_JDBC_URL", pg.getJdbcUrl("postgres", "postgres"),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "MELTANO_AUTH_KEY_ENCRYPTION_KEY", ItSupport.newKek(),
                "MELTANO_AUTH_ADMIN_CLIENT_ID", ADMIN_ID,
                "MELTANO_AUTH_ADMIN_CLIENT_SECRET", secret,
                "MELTANO_AUTH_SMTP_URL", "smtp://127.0.0.1:" + smtpPort,
                "MELTANO_AUTH_MAIL_FROM", "auth@replicas.test");
        one = ServerProcess.launch("mail-replicas-1", tmp.resolve("one"), env);
        two = ServerProcess.launch("mail-replicas-2", tmp.resolve("two"), env);
        one.awaitReady();
        two.awaitReady();
        adminToken = ItSupport.clientCredentialsToken(one.baseUrl(), ADMIN_ID, secret);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (ServerProcess s : new ServerProcess[] {one, two}) {
            if (s != null) {
                s.stop();
            }
        }
        if (smtp != null) {
            smtp.stop();
        }
        if (pg != null) {
            pg.close();
        }
    }

    @Test
    void resetsSpreadOverTwoReplicasThenEveryMailArrivesExactlyOnce() throws Exception {
        List<String> emails = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String email = "replica-mail-" + i + "-" + System.nanoTime() + "@example.com";
            ItSupport.Reply created = ItSupport.postJson(one.baseUrl() + "/admin/api/users", adminToken,
                    Map.of("email", email, "password", PASSWORD));
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            emails.add(email);
        }

        // the relay is down: the first half is queued on both replicas and waits in the outbox
        smtp.stop();
        List<String> queuedDuringOutage = Parallel.run(15, i -> forgot(i % 2 == 0 ? one : two, emails.get(i)));
        assertThat(queuedDuringOutage).as("an SMTP outage fails no request").containsOnly("/forgot-password?sent=1");
        assertThat(count("select count(*) from mail_outbox")).as("queued while the relay is down").isEqualTo(15);
        awaitCount("select count(*) from mail_outbox where attempts = 0", "mails not yet tried against the relay that is down");

        // the relay is back: both replicas' senders race for the backlog while new mails arrive on both
        startRelay(smtpPort);
        List<String> queuedAfter = Parallel.run(15, i -> forgot(i % 2 == 0 ? two : one, emails.get(15 + i)));
        assertThat(queuedAfter).containsOnly("/forgot-password?sent=1");

        awaitOutboxEmpty();
        Map<String, Integer> resets = resetMailsByRecipient();
        Map<String, Integer> expected = new TreeMap<>();
        emails.forEach(e -> expected.put(e, 1));
        assertThat(resets).as("one reset mail per address, none lost, none twice").isEqualTo(expected);
    }

    /** Asks for a reset on {@code server} as a browser does; the page it is sent to. */
    private static String forgot(ServerProcess server, String email) {
        try {
            ItBrowser browser = new ItBrowser();
            HttpResponse<String> page = browser.get(server.baseUrl() + "/forgot-password");
            assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
            Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(page.body());
            assertThat(csrf.find()).as(page.body()).isTrue();
            HttpResponse<String> sent = browser.post(server.baseUrl() + "/forgot-password",
                    Map.of("email", email, "csrf", csrf.group(1)), null);
            assertThat(sent.statusCode()).as(sent.body()).isEqualTo(303);
            return sent.headers().firstValue("Location").orElseThrow().replaceFirst("^https?://[^/]+", "");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Waits until no mail is queued: a row leaves the outbox only in the transaction that sent it,
     * so an empty outbox means every send has finished and nothing more will be sent.
     */
    private void awaitOutboxEmpty() throws Exception {
        awaitCount("select count(*) from mail_outbox", "mails still queued");
    }

    /** Waits until {@code sql} counts 0 rows. */
    private void awaitCount(String sql, String what) throws Exception {
        Instant end = Instant.now().plus(DELIVERY_TIMEOUT);
        long left;
        while ((left = count(sql)) > 0) {
            assertThat(Instant.now()).as("%d %s after %s; replica logs:%n%s%n%s", left, what, DELIVERY_TIMEOUT,
                    one.output(), two.output()).isBefore(end);
            Thread.sleep(200);
        }
    }

    private Map<String, Integer> resetMailsByRecipient() throws Exception {
        Map<String, Integer> byRecipient = new TreeMap<>();
        for (MimeMessage m : smtp.getReceivedMessages()) {
            if (RESET_SUBJECT.equals(m.getSubject())) {
                for (var to : m.getRecipients(Message.RecipientType.TO)) {
                    byRecipient.merge(to.toString(), 1, Integer::sum);
                }
            }
        }
        return byRecipient;
    }

    /** GreenMail on 127.0.0.1; port 0 picks a free one, otherwise the relay comes back where it was. */
    private void startRelay(int port) {
        smtp = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        smtpPort = smtp.getSmtp().getPort();
    }

    private long count(String sql) throws Exception {
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
