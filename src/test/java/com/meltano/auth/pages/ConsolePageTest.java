package com.meltano.auth.pages;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import com.meltano.auth.login.Browser;
import com.meltano.auth.support.Api;

/**
 * What the admin console's page tests share (SPEC section 11): an admin (a user given the admin
 * role over the REST API) signed in through the ordinary sign-in page, and the gestures of the
 * console: a field found by its label text, a form's button, a link by its text.
 */
public abstract class ConsolePageTest extends PageTest {

    /** A person holding the admin role, with the test password. */
    protected static Person newAdmin(String label) {
        Person admin = Person.create(label);
        setRoles(admin, List.of("admin"));
        return admin;
    }

    protected static void setRoles(Person person, List<String> roles) {
        io.restassured.response.Response r = Api.admin().body(Map.of("roles", roles)).put("/admin/api/users/" + person.id() + "/roles");
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(200);
    }

    /** Opens a console page as {@code person}: the console sends to sign-in, which comes back to the page. */
    protected static void openAs(Person person, String path) {
        chromium.open(path);
        assertThat(driver().getCurrentUrl()).as("no session: the console sends to sign-in; %s", shown()).contains("/login");
        signInWith(person.email(), Browser.PASSWORD);
        assertThat(driver().getCurrentUrl()).as("after sign-in, back to the page asked for: %s", shown()).endsWith(path);
    }

    /** The input whose label has this text. */
    protected static WebElement labelled(String labelText) {
        WebElement label = driver().findElement(By.xpath("//label[normalize-space(.)='" + labelText + "']"));
        return driver().findElement(By.id(label.getAttribute("for")));
    }

    /** Types into the field labelled so. */
    protected static void typeInto(String labelText, String value) {
        WebElement f = labelled(labelText);
        f.clear();
        f.sendKeys(value);
    }

    /** Presses the button with this text (or accessible name) and waits for the next page. */
    protected static void pressButton(String text) {
        press(button(text));
    }

    protected static WebElement button(String text) {
        return driver().findElement(By.xpath("//button[normalize-space(.)='" + text + "' or @aria-label='" + text + "']"));
    }

    protected static void follow(String linkText) {
        press(driver().findElement(By.xpath("//a[normalize-space(.)='" + linkText + "']")));
    }

    protected static String path() {
        String url = driver().getCurrentUrl();
        return url.substring(Chromium.base().length());
    }
}
