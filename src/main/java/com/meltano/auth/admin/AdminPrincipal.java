package com.meltano.auth.admin;

import jakarta.enterprise.context.RequestScoped;

/** Who is calling the admin API in this request: the verified token's subject. */
@RequestScoped
public class AdminPrincipal {

    private String subject;

    void set(String subject) {
        this.subject = subject;
    }

    /** The actor recorded in audit events: a client_id or a user id, never an email. */
    public String subject() {
        if (subject == null) {
            throw new IllegalStateException("admin request without a verified principal");
        }
        return subject;
    }
}
