package com.meltano.auth.rbac;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.meltano.auth.common.ServiceException;
import com.meltano.auth.verifier.ContextMatcher;

/**
 * "Who can {@code type} {@code resource}?" (SPEC section 11): every role with a permission whose type
 * pattern and context pattern both match (the SPEC section 8 matcher, the one the tokens' readers
 * use), with the first such pair in code-point order, and every user and client holding one of
 * those roles, once per role, with the assignment's source.
 */
@ApplicationScoped
public class WhoCan {

    /** The pattern pair of a role that allowed the question. */
    public record Matched(String type, String context) {
    }

    public record RoleMatch(String name, Matched matched) {
    }

    /** A user holding a matching role {@code via}; disabled users are listed with {@code enabled=false}. */
    public record UserHolder(UUID id, String email, boolean enabled, String via, String source) {
    }

    public record ClientHolder(String clientId, String via, String source) {
    }

    public record Answer(List<RoleMatch> roles, List<UserHolder> users, List<ClientHolder> clients) {
    }

    @Inject
    RbacRepository repository;

    @Transactional
    public Answer who(String type, String resource) {
        require("type", type);
        require("resource", resource);
        Map<String, Matched> matching = new LinkedHashMap<>();
        for (RbacRepository.RolePermission p : repository.allPermissions()) {
            if (!matching.containsKey(p.role()) && ContextMatcher.matches(p.type(), type)
                    && ContextMatcher.matches(p.context(), resource)) {
                matching.put(p.role(), new Matched(p.type(), p.context()));
            }
        }
        List<RoleMatch> roles = new ArrayList<>();
        matching.forEach((role, matched) -> roles.add(new RoleMatch(role, matched)));
        if (matching.isEmpty()) {
            return new Answer(roles, List.of(), List.of());
        }
        return new Answer(roles, repository.userHolders(matching.keySet()), repository.clientHolders(matching.keySet()));
    }

    /**
     * One permission of a role held by a subject, weighed against a question: both patterns match
     * (it allows), or only one does (the near miss an admin looks for when the answer is no).
     */
    public record Weighed(String role, String source, String type, String context, boolean typeMatches,
            boolean contextMatches) {

        public boolean allows() {
            return typeMatches && contextMatches;
        }
    }

    /**
     * What one subject may do and why (SPEC section 11): its roles and effective permissions (the
     * token claims), and, for a question, the permissions that allow it, or the near misses.
     */
    public record Explanation(Authorities effective, List<RbacRepository.Assignment> assignments, List<Weighed> allowing,
            List<Weighed> nearMisses) {

        public boolean allowed() {
            return !allowing.isEmpty();
        }
    }

    /**
     * Explains what {@code subject} {@code id} may do; with {@code type} and {@code resource} (both
     * or neither), also whether it may do that, by the same matcher as the tokens' readers.
     */
    @Transactional
    public Explanation explain(Subject subject, Object id, String type, String resource) {
        boolean question = type != null && !type.isEmpty() || resource != null && !resource.isEmpty();
        if (question) {
            require("type", type);
            require("resource", resource);
        }
        List<RbacRepository.Assignment> assignments = repository.assignments(subject, id);
        List<Weighed> allowing = new ArrayList<>();
        List<Weighed> nearMisses = new ArrayList<>();
        if (question) {
            for (RbacRepository.Assignment a : assignments) {
                for (Permission p : repository.permissionsOf(a.role())) {
                    Weighed w = new Weighed(a.role(), a.source(), p.type(), p.context(), ContextMatcher.matches(p.type(), type),
                            ContextMatcher.matches(p.context(), resource));
                    if (w.allows()) {
                        allowing.add(w);
                    } else if (w.typeMatches() || w.contextMatches()) {
                        nearMisses.add(w);
                    }
                }
            }
        }
        return new Explanation(repository.authorities(subject, id), assignments, allowing, nearMisses);
    }

    private static void require(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw ServiceException.invalid(field, "is required");
        }
    }
}
