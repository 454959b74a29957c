package com.meltano.auth.common;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The store's one way to run SQL: plain JDBC on the Quarkus datasource. Inside a
 * {@code @Transactional} method every statement runs on the transaction's connection (the pool
 * enlists one connection per transaction and hands it out again), so a unit of work commits or
 * rolls back whole; outside one, each statement commits by itself.
 *
 * <p>Parameters are numbered ({@code ?1}, {@code ?2}, a number may appear more than once) and bound
 * with {@link SqlStatement#bind}; see {@link SqlStatement} for the Java types of values and results.
 * A failure is an {@link SqlFailure} carrying the driver's {@link SQLException} (its SQLState tells
 * an outage, {@link DatabaseOutage}, from a constraint).
 */
@ApplicationScoped
public class Sql {

    /** Work that needs the connection itself (COPY, a driver extension, batches). */
    @FunctionalInterface
    public interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Maps the current row of a result to one object. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    @Inject
    DataSource dataSource;

    /** A statement of {@code sql}, with numbered parameters {@code ?1}, {@code ?2}. */
    public SqlStatement query(String sql) {
        return new SqlStatement(this, sql);
    }

    /** Runs {@code work} on a connection (the transaction's, inside one); the connection goes back after. */
    public <T> T withConnection(ConnectionWork<T> work) {
        try (Connection c = dataSource.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

}
