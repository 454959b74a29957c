package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jsoup.nodes.Element;

import com.meltano.auth.login.Browser;

import io.restassured.response.Response;

/**
 * The HTTP-client side of the page tests (for what a browser hides: status codes and headers): a
 * form of a page posted as the browser would post it, hidden inputs included, so that whatever
 * the page carries (CSRF token, flow reference) travels along.
 */
final class HttpForms {

    private HttpForms() {
    }

    /** Follows redirects that stay on this server; returns the first answer that is not one. */
    static Response settle(Browser browser, Response r) {
        for (int i = 0; i < 8 && (r.statusCode() == 302 || r.statusCode() == 303) && Browser.ourPath(r.header("Location")) != null; i++) {
            r = browser.follow(r);
        }
        return r;
    }

    /** Posts the page's form whose action path is {@code actionPath}: its inputs with their values, overridden by {@code values}. */
    static Response post(Browser browser, Response page, String actionPath, Map<String, String> values) {
        Element form = Browser.html(page).select("form").stream()
                .filter(f -> f.attr("action").split("\\?", 2)[0].equals(actionPath))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no form posting to " + actionPath + " in " + page.asString()));
        Map<String, String> body = new LinkedHashMap<>();
        for (Element input : form.select("input[name]")) {
            if (!input.attr("type").equals("checkbox") || input.hasAttr("checked")) {
                body.put(input.attr("name"), input.attr("value"));
            }
        }
        body.putAll(values);
        String action = form.attr("action");
        assertThat(action).as("a form action on this server").startsWith("/");
        return browser.post(action, body);
    }
}
