package com.meltano.auth.oauth2.authorize;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.common.ProtocolEndpoint;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.session.BrowserCookies;
import com.meltano.auth.session.BrowserSubject;
import com.meltano.auth.session.BrowserSubjects;
import com.meltano.auth.web.PageHeaders;
import com.meltano.auth.web.Pages;

/**
 * The authorization endpoint (RFC 6749 section 3.1, OIDC Core 3.1.2), GET and POST: validate,
 * then a login flow of its own (sign-in or consent) or a code. Never answers CORS (SPEC section 4):
 * a browser reaches it only by navigation.
 */
@Path(AuthorizeEndpoint.PATH)
public class AuthorizeEndpoint {

    public static final String PATH = "/oauth2/authorize";

    /** Discovery's {@code authorization_endpoint}; never CORS: a script reading its answer could learn whether someone is signed in. */
    @Produces
    static final ProtocolEndpoint ANNOUNCED = ProtocolEndpoint.announced("authorization_endpoint", PATH, ProtocolEndpoint.CrossOrigin.NONE);

    @Inject
    AuthorizationRequestValidator validator;

    @Inject
    AuthorizationService authorizations;

    @Inject
    BrowserSubjects subjects;

    @Inject
    LoginFlows flows;

    @Inject
    BrowserCookies cookies;

    @Inject
    Issuer issuer;

    @GET
    @Operation(hidden = true)
    public Response get(@Context UriInfo uri, @CookieParam(BrowserCookies.SESSION) String session,
            @CookieParam(BrowserCookies.FLOW) String binding) {
        return handle(uri.getQueryParameters(), session, binding);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response post(MultivaluedMap<String, String> form, @CookieParam(BrowserCookies.SESSION) String session,
            @CookieParam(BrowserCookies.FLOW) String binding) {
        return handle(form, session, binding);
    }

    private Response handle(Map<String, List<String>> params, String sessionCookie, String binding) {
        try {
            AuthorizationRequest request = validator.validate(params);
            BrowserSubject subject = subjects.current(sessionCookie).orElse(null);
            AuthorizationService.Need need = authorizations.need(request, subject);
            if (need == AuthorizationService.Need.NOTHING) {
                return PageHeaders.seeOther(authorizations.issueCode(request, subject)).build();
            }
            String browser = BrowserCookies.bindingOrNew(binding);
            boolean login = need == AuthorizationService.Need.LOGIN;
            LoginFlow flow = flows.create(request, browser, login ? FlowState.AWAITING_LOGIN : FlowState.AWAITING_CONSENT,
                    login ? null : subject.userId());
            return PageHeaders.seeOther(login ? FlowContinuation.loginPage(flow) : FlowContinuation.consentPage(flow))
                    .cookie(cookies.flow(browser)).build();
        } catch (AuthorizationError e) {
            if (e.redirectUri() == null) {
                return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Pages.error("This sign-in request cannot be completed", e.getMessage(), null, null)).build();
            }
            return PageHeaders.seeOther(AuthorizationResponses.error(e.redirectUri(), e.code(), e.getMessage(), e.state(),
                    issuer.value())).build();
        }
    }
}
