package com.meltano.auth.mail;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The bodies of every mail (SPEC section 12), {@code templates/Mail/<method>.html|.txt}: each mail
 * has a plain-text and an HTML template that say the same thing; both include a layout that
 * names the server ({@code issuer}). HTML bodies are escaped by Qute like the pages.
 */
@CheckedTemplate(basePath = "Mail")
final class MailTemplates {

    private MailTemplates() {
    }

    static native TemplateInstance verifyEmailText(String issuer, String link, String validFor);

    static native TemplateInstance verifyEmailHtml(String issuer, String link, String validFor);

    static native TemplateInstance registrationAttemptText(String issuer, String signInLink, String resetLink, String validFor);

    static native TemplateInstance registrationAttemptHtml(String issuer, String signInLink, String resetLink, String validFor);

    static native TemplateInstance passwordResetText(String issuer, String link, String validFor);

    static native TemplateInstance passwordResetHtml(String issuer, String link, String validFor);

    static native TemplateInstance invitationText(String issuer, String link, String validFor);

    static native TemplateInstance invitationHtml(String issuer, String link, String validFor);

    static native TemplateInstance confirmEmailChangeText(String issuer, String link, String validFor);

    static native TemplateInstance confirmEmailChangeHtml(String issuer, String link, String validFor);

    static native TemplateInstance noticeText(String issuer, String headline, String what, String resetPage);

    static native TemplateInstance noticeHtml(String issuer, String headline, String what, String resetPage);
}
