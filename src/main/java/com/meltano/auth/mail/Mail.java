package com.meltano.auth.mail;

/**
 * One mail as the outbox keeps it until it is sent: recipient, subject and both bodies (plain text
 * and HTML, rendered from the same Qute templates). Its {@code toString} names neither the
 * recipient nor the bodies, which carry a single-use link.
 */
public record Mail(String to, String subject, String text, String html) {

    @Override
    public String toString() {
        return "Mail[" + subject + "]";
    }
}
