package com.meltano.auth.audit;

/**
 * The audit record of an issued token could not be made durable (the database refused or did not
 * answer the group commit in time): the token must not be handed out.
 */
public class AuditUnavailableException extends RuntimeException {

    public AuditUnavailableException(String message) {
        super(message, null, false, false);
    }
}
