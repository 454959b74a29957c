package com.meltano.auth.support;

import java.util.List;

import com.meltano.auth.gitlab.GitLabStandIn;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * The test profile of the mail tests and the GitLab tests: mail on against {@link MailServer}
 * and GitLab configured by its three variables against {@link GitLabStandIn}. One application
 * start serves both sets (each profile costs a build and a start); neither feature changes what
 * the other's tests see, and the tests of the two together (a GitLab-only account changing its
 * email) need both.
 */
public class MailAndGitLab implements QuarkusTestProfile {
    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(MailServer.class), new TestResourceEntry(GitLabStandIn.class));
    }
}
