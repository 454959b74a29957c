package com.meltano.auth.gitlab;

import java.net.ConnectException;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.meltano.auth.web.Pages;

import io.quarkus.oidc.OIDCException;
import io.quarkus.security.AuthenticationCompletionException;
import io.quarkus.security.AuthenticationFailedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * HTML error pages of the GitLab round trip: plain words, a way back to the sign-in page, never a
 * stack trace. quarkus-oidc's failures (an ID token that does not verify, a foreign or replayed
 * {@code state}, GitLab unreachable) arrive here as exceptions.
 */
public class GitLabErrors {

    private static final Logger LOG = Logger.getLogger(GitLabErrors.class);

    static Response page(Response.Status status, String title, String message) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE).header("Cache-Control", "no-store")
                .entity(Pages.error(title, message, "/login", "Back to sign-in")).build();
    }

    @ServerExceptionMapper({ AuthenticationFailedException.class, AuthenticationCompletionException.class })
    public Response authenticationFailed(RuntimeException e, HttpServerRequest request) {
        if (!request.path().startsWith(GitLabSettings.LOGIN_PATH)) {
            return Response.status(Response.Status.UNAUTHORIZED).build();
        }
        if (causedByUnreachableGitLab(e)) {
            return gitlabUnavailable(e);
        }
        LOG.infof("GitLab sign-in refused: %s", e.getClass().getSimpleName());
        return page(Response.Status.UNAUTHORIZED, "GitLab sign-in could not be verified",
                "GitLab's answer did not pass our checks (it may have expired, been used already, or been meant for"
                        + " another sign-in). Nothing was changed. Start again from the sign-in page.");
    }

    /** quarkus-oidc could not reach GitLab (discovery, JWKS or token endpoint). */
    private static boolean causedByUnreachableGitLab(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OIDCException || t instanceof ConnectException) {
                return true;
            }
        }
        return false;
    }

    @ServerExceptionMapper(OIDCException.class)
    public Response gitlabUnavailable(RuntimeException e) {
        LOG.warnf("GitLab is not reachable: %s", e.getClass().getSimpleName());
        return unreachablePage();
    }

    static Response unreachablePage() {
        return page(Response.Status.BAD_GATEWAY, "GitLab is not reachable",
                "We could not reach GitLab to sign you in. Nothing was changed. Try again later, or sign in with your"
                        + " email and password.");
    }
}
