package com.meltano.auth.oauth2.authorize;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.session.BrowserSubject;
import com.meltano.auth.web.Pages;

import io.quarkus.qute.TemplateInstance;

/**
 * The page of a flow that can no longer take the step its page asked for (SPEC section 5): it
 * expired, another tab finished it, or the person behind it changed. It names the application, says
 * who is signed in, and links back to the application with the same request; it never says that a
 * correct password was wrong.
 */
@ApplicationScoped
public class FlowStatusPage {

    @Inject
    AuthorizationService authorizations;

    public TemplateInstance of(LoginFlow flow, Optional<BrowserSubject> subject) {
        String app = Optional.ofNullable(authorizations.clientName(flow.request())).orElse("the application");
        String again = flow.request().again(AuthorizeEndpoint.PATH);
        String who = subject.map(s -> "You are signed in as " + s.email() + ". ").orElse("");
        if (flow.state() == FlowState.ABANDONED) {
            return Pages.error("The request from " + app + " expired",
                    who + "The sign-in request from " + app + " was open for more than "
                            + LoginFlows.LIFETIME.toMinutes() + " minutes, so it can no longer continue here. "
                            + (subject.isPresent() ? "Continue to " + app + " to send it again." : "Start again to sign in."),
                    again, subject.isPresent() ? "Continue to " + app : "Start again");
        }
        return Pages.error("The request from " + app + " expired",
                who + "The sign-in request from " + app + " was already finished, in this tab or another one, so it"
                        + " can no longer continue here. Continue to " + app + " to send it again.",
                again, "Continue to " + app);
    }
}
