package com.meltano.auth.rbac;

/**
 * Who holds roles: a user (by id) or a client acting for itself (service account). The table
 * names are fixed here, never taken from input.
 */
public enum Subject {
    USER("user_role", "user_id"),
    CLIENT("client_role", "client_id");

    final String table;
    final String column;

    Subject(String table, String column) {
        this.table = table;
        this.column = column;
    }
}
