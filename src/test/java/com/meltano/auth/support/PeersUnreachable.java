package com.meltano.auth.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the outages of the servers we call: GitLab configured at a port where
 * nothing listens, and mail on against {@link SilentSmtpServer}, with the send timeout shortened to
 * keep the tests short ({@code MailerConfigSourceFactoryTest} checks that the default is well within
 * the outbox transaction's).
 */
public class PeersUnreachable implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(SilentSmtpServer.class));
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.mailer.timeout", "2s",
                "meltano.auth.gitlab-url", "http://127.0.0.1:" + closedPort() + "/gitlab",
                "meltano.auth.gitlab-client-id", "app", "meltano.auth.gitlab-client-secret", "secret-of-the-gitlab-app");
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
