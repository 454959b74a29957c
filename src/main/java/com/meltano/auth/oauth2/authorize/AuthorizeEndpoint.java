package com.meltano.auth.oauth2.authorize;

import java.util.List;
import java.util.Map;

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

import com.meltano.auth.config.Issuer;
import com.meltano.auth.login.BrowserSubjects;
import com.meltano.auth.login.LoginCookies;
import com.meltano.auth.login.LoginFlows;
import com.meltano.auth.login.Pages;

/**
 * The authorization endpoint (RFC 6749 section 3.1, OIDC Core 3.1.2), GET and POST: validate,
 * then sign-in, consent or a code. Never answers CORS (SPEC section 4): a browser reaches it only
 * by navigation.
 */
@Path(AuthorizeEndpoint.PATH)
public class AuthorizeEndpoint {

    public static final String PATH = "/oauth2/authorize";

    @Inject
    AuthorizationRequestValidator validator;

    @Inject
    AuthorizationService authorizations;

    @Inject
    BrowserSubjects subjects;

    @Inject
    LoginFlows flows;

    @Inject
    LoginCookies cookies;

    @Inject
    Issuer issuer;

    @GET
    @Operation(hidden = true)
    public Response get(@Context UriInfo uri, @CookieParam(LoginCookies.SESSION) String session) {
        return handle(uri.getQueryParameters(), session);
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response post(MultivaluedMap<String, String> form, @CookieParam(LoginCookies.SESSION) String session) {
        return handle(form, session);
    }

    private Response handle(Map<String, List<String>> params, String sessionCookie) {
        try {
            AuthorizationRequest request = validator.validate(params);
            AuthorizationService.Subject subject = subjects.current(sessionCookie).orElse(null);
            return switch (authorizations.need(request, subject)) {
                case NOTHING -> LoginCookies.seeOther(authorizations.issueCode(request, subject)).build();
                case LOGIN -> LoginCookies.seeOther("/login").cookie(cookies.flow(flows.create(request).cookieValue())).build();
                case CONSENT -> LoginCookies.seeOther("/consent").cookie(cookies.flow(flows.create(request).cookieValue())).build();
            };
        } catch (AuthorizationError e) {
            if (e.redirectUri() == null) {
                return Response.status(400).type(MediaType.TEXT_HTML_TYPE)
                        .entity(Pages.error("This sign-in request cannot be completed", e.getMessage(), null)).build();
            }
            return LoginCookies.seeOther(AuthorizationResponses.error(e.redirectUri(), e.code(), e.getMessage(), e.state(),
                    issuer.value())).build();
        }
    }
}
