package com.meltano.auth.common;

/**
 * The one error type of the service layer: what went wrong, in words a client may read, and the
 * request field at fault when there is one. Edges map it (the admin API to SPEC section 9 JSON).
 * Messages never carry a secret.
 */
public class ServiceException extends RuntimeException {

    public enum Kind { INVALID, NOT_FOUND, CONFLICT, FORBIDDEN }

    private final Kind kind;
    private final String field;

    public ServiceException(Kind kind, String field, String message) {
        super(message, null, false, false);
        this.kind = kind;
        this.field = field;
    }

    public static ServiceException invalid(String field, String message) {
        return new ServiceException(Kind.INVALID, field, message);
    }

    public static ServiceException notFound(String message) {
        return new ServiceException(Kind.NOT_FOUND, null, message);
    }

    public static ServiceException conflict(String field, String message) {
        return new ServiceException(Kind.CONFLICT, field, message);
    }

    public static ServiceException forbidden(String message) {
        return new ServiceException(Kind.FORBIDDEN, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The request field at fault, e.g. {@code redirect_uris[0]}; null when none. */
    public String field() {
        return field;
    }
}
