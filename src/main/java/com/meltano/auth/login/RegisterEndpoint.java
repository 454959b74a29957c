package com.meltano.auth.login;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import com.meltano.auth.account.AccountService;
import com.meltano.auth.common.OpaqueTokens;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.oauth2.authorize.AuthorizationService;

/** The registration page (SPEC section 5), only when {@code MELTANO_AUTH_REGISTRATION=open}. */
@Path("/register")
public class RegisterEndpoint {

    /** Errors travel in the 303's query as codes, never as user input. */
    static final Map<String, String> MESSAGES = Map.of(
            "email", "Enter a valid email address.",
            "password", "Choose a password of 8 to 128 characters that is not your email address.",
            "exists", "This email cannot be registered. If it is yours, sign in instead.",
            "form", "The form expired. Try again.");

    @Inject
    AuthConfig config;

    @Inject
    LoginFlows flows;

    @Inject
    LoginCookies cookies;

    @Inject
    AccountService accounts;

    @Inject
    FlowContinuation continuation;

    @Inject
    AuthorizationService authorizations;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response page(@CookieParam(LoginCookies.FLOW) String flowCookie, @QueryParam("error") String error) {
        if (!open()) {
            return closed();
        }
        LoginFlows.Current current = flows.findOrStart(flowCookie);
        LoginFlow flow = current.flow();
        Response.ResponseBuilder r = Response.ok(Pages.register(authorizations.clientName(flow.request()), flow.csrf(),
                error == null ? null : MESSAGES.getOrDefault(error, MESSAGES.get("form")), null));
        if (current.newCookie() != null) {
            r.cookie(cookies.flow(current.newCookie()));
        }
        return r.build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response submit(@CookieParam(LoginCookies.FLOW) String flowCookie, @FormParam("email") String email,
            @FormParam("password") String password, @FormParam("csrf") String csrf) {
        if (!open()) {
            return closed();
        }
        Optional<LoginFlow> flow = flows.find(flowCookie);
        if (flow.isEmpty() || !OpaqueTokens.same(csrf, flow.get().csrf())) {
            return LoginCookies.seeOther("/register?error=form").build();
        }
        UUID user;
        try {
            user = accounts.register(email, password);
        } catch (ServiceException e) {
            String code = e.kind() == ServiceException.Kind.CONFLICT ? "exists" : "password".equals(e.field()) ? "password" : "email";
            return LoginCookies.seeOther("/register?error=" + code).build();
        }
        FlowContinuation.SignedIn signedIn = continuation.signedIn(flow.get(), user, UserSession.AuthMethod.PASSWORD);
        return LoginCookies.seeOther(signedIn.location()).cookie(cookies.session(signedIn.sessionCookie())).build();
    }

    private boolean open() {
        return config.auth().registration() == AuthConfig.Registration.OPEN;
    }

    private static Response closed() {
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE)
                .entity(Pages.error("Registration is closed", "Ask an administrator for an account.", "/login")).build();
    }
}
