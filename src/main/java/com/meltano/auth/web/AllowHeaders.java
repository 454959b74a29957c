package com.meltano.auth.web;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import io.quarkus.arc.Arc;

/**
 * The methods an address of the REST resources takes, for the {@code Allow} header a 405 must carry
 * (RFC 9110 section 15.5.6); the framework's own 405 has none. Read once from the resources'
 * annotations, the one place the routes are declared: {@code HEAD} wherever {@code GET} is, and
 * {@code OPTIONS} everywhere, as the framework answers them; the {@code Allow} of an {@code OPTIONS}
 * answer says the same.
 */
public class AllowHeaders {

    /** {@code literal}: how many characters of the template are not parameters (the more, the more specific). */
    private record Route(Pattern path, int literal, Set<String> methods) {
    }

    private static volatile List<Route> routes;

    /**
     * The framework answers {@code OPTIONS} itself, with {@code HEAD} in its {@code Allow} even where
     * only {@code POST} is taken ({@code HEAD /oauth2/token} is a 405): the same list as a 405's.
     */
    @ServerResponseFilter
    public void optionsAllow(ContainerRequestContext request, ContainerResponseContext response) {
        if (HttpMethod.OPTIONS.equals(request.getMethod()) && response.getHeaders().containsKey("Allow")) {
            of(request.getUriInfo().getPath()).ifPresent(methods -> response.getHeaders().putSingle("Allow", methods));
        }
    }

    /** {@code GET, HEAD, OPTIONS} for a path of the resources; empty for a path none declares. */
    static Optional<String> of(String path) {
        // as the framework routes: /admin/api/users/export before /admin/api/users/{id}
        Set<String> methods = new TreeSet<>();
        int best = -1;
        for (Route route : routes()) {
            if (route.path().matcher(path).matches() && route.literal() >= best) {
                if (route.literal() > best) {
                    methods.clear();
                    best = route.literal();
                }
                methods.addAll(route.methods());
            }
        }
        if (methods.isEmpty()) {
            return Optional.empty();
        }
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return Optional.of(String.join(", ", methods));
    }

    private static List<Route> routes() {
        List<Route> known = routes;
        if (known == null) {
            known = read();
            routes = known;
        }
        return known;
    }

    private static List<Route> read() {
        Map<String, Set<String>> byTemplate = new TreeMap<>();
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            Path root = type.getAnnotation(Path.class);
            if (root == null) {
                continue;
            }
            for (Method m : type.getMethods()) {
                String verb = verb(m);
                if (verb != null) {
                    Path sub = m.getAnnotation(Path.class);
                    String template = join(root.value(), sub == null ? "" : sub.value());
                    byTemplate.computeIfAbsent(template, t -> new TreeSet<>()).add(verb);
                }
            }
        }
        List<Route> read = new ArrayList<>();
        byTemplate.forEach((template, methods) -> read.add(new Route(Pattern.compile(regex(template)),
                template.replaceAll("\\{[^}]*}", "").length(), Set.copyOf(methods))));
        return List.copyOf(read);
    }

    private static String verb(Method m) {
        for (var a : m.getAnnotations()) {
            HttpMethod http = a.annotationType().getAnnotation(HttpMethod.class);
            if (http != null) {
                return http.value();
            }
        }
        return null;
    }

    private static String join(String root, String sub) {
        String joined = "/" + root + "/" + sub;
        return joined.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
    }

    /** {@code /admin/api/users/{id}} to a regex: a parameter is one segment, or its own {@code {name: regex}}. */
    static String regex(String template) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(Pattern.quote(template.substring(i)));
                break;
            }
            if (open > i) {
                out.append(Pattern.quote(template.substring(i, open)));
            }
            int depth = 0;
            int close = open;
            for (; close < template.length(); close++) {
                char c = template.charAt(close);
                if (c == '{') {
                    depth++;
                } else if (c == '}' && --depth == 0) {
                    break;
                }
            }
            String parameter = template.substring(open + 1, close);
            int colon = parameter.indexOf(':');
            out.append(colon < 0 ? "[^/]+" : "(?:" + parameter.substring(colon + 1).trim() + ")");
            i = close + 1;
        }
        return out + "/?";
    }
}
