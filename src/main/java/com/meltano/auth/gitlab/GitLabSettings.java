package com.meltano.auth.gitlab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.meltano.auth.config.AuthConfig;
import com.meltano.auth.config.Issuer;
import com.meltano.auth.rbac.RoleName;

/**
 * The GitLab broker's settings (SPEC sections 3 and 5a): the instance, the GitLab application, the
 * redirect URI derived from our issuer (never from a request's Host header), and the group-to-role
 * mapping of {@code MELTANO_AUTH_GITLAB_GROUP_ROLES}.
 */
@ApplicationScoped
public class GitLabSettings {

    public static final String LOGIN_PATH = "/login/gitlab";
    public static final String START_PATH = LOGIN_PATH + "/start";
    public static final String CALLBACK_PATH = LOGIN_PATH + "/callback";
    public static final String ERROR_PATH = LOGIN_PATH + "/error";
    public static final String REFUSED_PATH = LOGIN_PATH + "/refused";

    /** A GitLab group's full path: names separated by slashes. */
    private static final Pattern GROUP_PATH = Pattern.compile("[A-Za-z0-9_.][A-Za-z0-9_.\\-]*(/[A-Za-z0-9_.][A-Za-z0-9_.\\-]*)*");

    private final String url;
    private final Optional<String> clientId;
    private final Optional<String> clientSecret;
    private final String redirectUri;
    private final boolean secureCookies;
    private final Map<String, List<String>> groupRoles;

    @Inject
    public GitLabSettings(AuthConfig config, Issuer issuer) {
        AuthConfig.Auth auth = config.auth();
        this.url = stripTrailingSlash(auth.gitlabUrl());
        this.clientId = auth.gitlabClientId();
        this.clientSecret = auth.gitlabClientSecret();
        this.redirectUri = issuer.resolve(CALLBACK_PATH);
        this.secureCookies = issuer.isHttps();
        this.groupRoles = auth.gitlabGroupRoles().map(GitLabSettings::parseGroupRoles).orElse(Map.of());
    }

    /** GitLab login is offered only when the GitLab application is configured. */
    public boolean enabled() {
        return clientId.isPresent() && clientSecret.isPresent();
    }

    public String url() {
        return url;
    }

    public String clientId() {
        return clientId.orElseThrow();
    }

    public String clientSecret() {
        return clientSecret.orElseThrow();
    }

    /** {@code <issuer>/login/gitlab/callback}, to be registered in the GitLab application. */
    public String redirectUri() {
        return redirectUri;
    }

    public boolean secureCookies() {
        return secureCookies;
    }

    /** Full group path to the roles it grants. */
    public Map<String, List<String>> groupRoles() {
        return groupRoles;
    }

    /**
     * Parses {@code group/path=role,other=role2}; a group may appear several times. The message of
     * the {@link IllegalArgumentException} names the bad entry's position, never more of the value.
     */
    public static Map<String, List<String>> parseGroupRoles(String value) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (value.isBlank()) {
            return out;
        }
        String[] entries = value.split(",", -1);
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq != entry.lastIndexOf('=')) {
                throw new IllegalArgumentException("entry " + (i + 1) + " is not group/path=role");
            }
            String group = entry.substring(0, eq).trim();
            String role = entry.substring(eq + 1).trim();
            if (!GROUP_PATH.matcher(group).matches()) {
                throw new IllegalArgumentException("entry " + (i + 1) + " has an invalid GitLab group path");
            }
            if (!RoleName.isValid(role)) {
                throw new IllegalArgumentException("entry " + (i + 1) + " has an invalid role name");
            }
            out.computeIfAbsent(group, g -> new ArrayList<>()).add(role);
        }
        out.replaceAll((g, roles) -> List.copyOf(roles));
        return Map.copyOf(out);
    }

    private static String stripTrailingSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
