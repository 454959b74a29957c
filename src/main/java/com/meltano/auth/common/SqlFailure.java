package com.meltano.auth.common;

import java.sql.SQLException;

/** A statement failed; the cause is the driver's {@link SQLException}, with its SQLState. */
public final class SqlFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;
    /** PostgreSQL's unique_violation. */
    private static final String UNIQUE_VIOLATION = "23505";

    public SqlFailure(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }

    /** True when a unique index refused the row (a race between two creations of one key). */
    public boolean isUniqueViolation() {
        return UNIQUE_VIOLATION.equals(sqlState());
    }
}
