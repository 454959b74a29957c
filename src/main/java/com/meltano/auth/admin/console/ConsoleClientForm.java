package com.meltano.auth.admin.console;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.oauth2.Scopes;
import com.meltano.auth.oauth2.client.ClientRegistration;
import com.meltano.auth.oauth2.client.ClientView;
import com.meltano.auth.oauth2.client.GrantTypes;
import com.meltano.auth.oauth2.client.SubjectTypes;

import io.quarkus.qute.TemplateData;

/**
 * The client form of the console (register on {@code /admin/clients}, edit on a client's page):
 * the fields of SPEC section 9 as a page shows them (URIs one per line, lists as checkboxes), the
 * form's name ({@code register}, {@code edit}) and the notice, for the error next to each field.
 * The {@code admin} scope is not a checkbox: it follows "Admin API", as the service decides.
 */
@TemplateData
public record ConsoleClientForm(String form, ConsoleNotice notice, String clientId, String name, String redirectUris,
        String postLogoutRedirectUris, List<String> grantTypes, String authMethod, List<String> scopes, List<String> roles,
        boolean firstParty, boolean adminApi, boolean enabled, String subjectType, String sectorIdentifier) {

    /** What each list offers: grant types, authentication methods, scopes (but {@code admin}), roles, subject types. */
    @TemplateData
    public record Choices(List<String> grantTypes, List<String> authMethods, List<String> scopes, List<String> roles,
            List<String> subjectTypes) {

        static Choices of(List<String> roles) {
            return new Choices(GrantTypes.SUPPORTED, GrantTypes.AUTH_METHODS,
                    Scopes.KNOWN.stream().filter(s -> !Scopes.ADMIN.equals(s)).toList(), roles, SubjectTypes.SUPPORTED);
        }
    }

    /** The fields the form has an input (or group) for, as the service names them. */
    private static final java.util.Set<String> FIELDS = java.util.Set.of("client_id", "name", "redirect_uris",
            "post_logout_redirect_uris", "grant_types", "token_endpoint_auth_method", "scopes", "roles", "first_party",
            "admin_api", "enabled", "subject_type", "sector_identifier");

    private static final Pattern INDEXED = Pattern.compile("([a-z_]+)\\[(\\d+)\\]");

    /** An empty registration form: confidential (Basic), enabled, public subjects. */
    static ConsoleClientForm blank(String form, ConsoleNotice notice) {
        return new ConsoleClientForm(form, notice, "", "", "", "", List.of(), GrantTypes.BASIC, List.of(), List.of(), false,
                false, true, SubjectTypes.PUBLIC, "");
    }

    /** The edit form of a stored client. */
    static ConsoleClientForm of(String form, ConsoleNotice notice, ClientView c) {
        return new ConsoleClientForm(form, notice, c.clientId(), c.name(), String.join("\n", c.redirectUris()),
                String.join("\n", c.postLogoutRedirectUris()), c.grantTypes(), c.tokenEndpointAuthMethod(),
                c.scopes().stream().filter(s -> !Scopes.ADMIN.equals(s)).toList(), c.roles(), c.firstParty(), c.adminApi(),
                c.enabled(), c.subjectType(), orEmpty(c.sectorIdentifier()));
    }

    /** What was posted (checkboxes: present or absent). */
    static ConsoleClientForm posted(String form, String clientId, String name, String redirectUris, String postLogoutRedirectUris,
            List<String> grantTypes, String authMethod, List<String> scopes, List<String> roles, String firstParty,
            String adminApi, String enabled, String subjectType, String sectorIdentifier) {
        return new ConsoleClientForm(form, ConsoleNotice.NONE, orEmpty(clientId), orEmpty(name), orEmpty(redirectUris),
                orEmpty(postLogoutRedirectUris), orNone(grantTypes), authMethod == null ? GrantTypes.BASIC : authMethod,
                orNone(scopes), orNone(roles), firstParty != null, adminApi != null, enabled != null,
                subjectType == null ? SubjectTypes.PUBLIC : subjectType, orEmpty(sectorIdentifier));
    }

    /**
     * This form as the notice of a refused post left it (what was typed, with the error), or
     * {@code otherwise} when the notice is not about this form.
     */
    static ConsoleClientForm typedOr(String form, ConsoleNotice notice, ConsoleClientForm otherwise) {
        if (notice.ok() || notice.field() == null || !(notice.field().equals(form) || notice.field().startsWith(form + "."))
                || notice.typed().isEmpty()) {
            return new ConsoleClientForm(form, notice, otherwise.clientId, otherwise.name, otherwise.redirectUris,
                    otherwise.postLogoutRedirectUris, otherwise.grantTypes, otherwise.authMethod, otherwise.scopes,
                    otherwise.roles, otherwise.firstParty, otherwise.adminApi, otherwise.enabled, otherwise.subjectType,
                    otherwise.sectorIdentifier);
        }
        return new ConsoleClientForm(form, notice, notice.typed(form + ".client_id"), notice.typed(form + ".name"),
                notice.typed(form + ".redirect_uris"), notice.typed(form + ".post_logout_redirect_uris"),
                words(notice.typed(form + ".grant_types")), notice.typed(form + ".token_endpoint_auth_method"),
                words(notice.typed(form + ".scopes")), words(notice.typed(form + ".roles")),
                "true".equals(notice.typed(form + ".first_party")), "true".equals(notice.typed(form + ".admin_api")),
                "true".equals(notice.typed(form + ".enabled")), notice.typed(form + ".subject_type"),
                notice.typed(form + ".sector_identifier"));
    }

    /**
     * The registration the service takes: every field present (the form shows them all, so an edit
     * sets each to what the form shows). A new client without a checked scope gets the defaults.
     * An empty sector is no sector: the service defaults it (or keeps the one a pairwise client has)
     * and says so when it cannot.
     */
    ClientRegistration registration(boolean creating) {
        return new ClientRegistration(creating && !clientId.isBlank() ? clientId.strip() : null, name, lines(redirectUris),
                lines(postLogoutRedirectUris), grantTypes, authMethod, creating && scopes.isEmpty() ? null : scopes, roles,
                firstParty, adminApi, enabled, subjectType, sectorIdentifier.isBlank() ? null : sectorIdentifier.strip());
    }

    /** What was typed, for the form to show again after an error (never a secret: the form has none). */
    Map<String, String> echo() {
        return ConsoleNotice.echo(form + ".client_id", clientId, form + ".name", name, form + ".redirect_uris", redirectUris,
                form + ".post_logout_redirect_uris", postLogoutRedirectUris, form + ".grant_types", String.join(" ", grantTypes),
                form + ".token_endpoint_auth_method", authMethod, form + ".scopes", String.join(" ", scopes),
                form + ".roles", String.join(" ", roles), form + ".first_party", String.valueOf(firstParty),
                form + ".admin_api", String.valueOf(adminApi), form + ".enabled", String.valueOf(enabled),
                form + ".subject_type", subjectType, form + ".sector_identifier", sectorIdentifier);
    }

    /**
     * The service's refusal named for this form: {@code redirect_uris[1]} is the field
     * {@code redirect_uris}, whose message says which line; {@code grant_types[0]} is the group.
     */
    ServiceException forField(ServiceException e) {
        if (e.field() == null || FIELDS.contains(e.field())) {
            return e;
        }
        Matcher m = INDEXED.matcher(e.field());
        if (!m.matches() || !FIELDS.contains(m.group(1))) {
            return new ServiceException(e.kind(), null, e.field() + " " + e.getMessage()); // no input of its own: the form's
        }
        String field = m.group(1);
        int index = Integer.parseInt(m.group(2));
        String message = switch (field) {
            case "redirect_uris" -> line(lines(redirectUris), index) + e.getMessage();
            case "post_logout_redirect_uris" -> line(lines(postLogoutRedirectUris), index) + e.getMessage();
            default -> e.getMessage();
        };
        return new ServiceException(e.kind(), field, message);
    }

    /** The error of the service next to {@code field} (a name of SPEC section 9), or null. */
    public String error(String field) {
        return notice.errorFor(form + "." + field);
    }

    /** Whether the service refused this form for one of its fields (the error is next to it, maybe far down the page). */
    public boolean fieldRefused() {
        return !notice.ok() && notice.field() != null && notice.field().startsWith(form + ".");
    }

    /** The error of the whole form, or null. */
    public String formError() {
        return notice.errorFor(form);
    }

    public boolean grant(String type) {
        return grantTypes.contains(type);
    }

    public boolean scope(String scope) {
        return scopes.contains(scope);
    }

    public boolean role(String role) {
        return roles.contains(role);
    }

    private static String line(List<String> uris, int index) {
        return index < uris.size() ? "\"" + uris.get(index) + "\" " : "";
    }

    /** One URI a line; blank lines and the spaces around a URI are not part of it. */
    static List<String> lines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static List<String> words(String text) {
        return text.isBlank() ? List.of() : Arrays.asList(text.strip().split(" +"));
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static List<String> orNone(List<String> l) {
        return l == null ? List.of() : l.stream().filter(s -> s != null && !s.isEmpty()).toList();
    }
}
