package com.meltano.auth.common;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One statement with numbered parameters, built by {@link Sql#query}. Values bind as: an
 * {@link Instant} as a {@code timestamptz}, a {@code String[]} as a {@code text[]}, null as an
 * untyped null (the statement gives its type, e.g. {@code cast(?1 as text)}), anything else as the
 * driver binds it (String, UUID, numbers, Boolean, byte[]). A collection is refused: bind an array
 * literal or a {@code String[]} instead of letting a list expand. Columns read as: {@code timestamptz}
 * and {@code timestamp} as {@link Instant}, arrays as Java arrays ({@code text[]}: {@code String[]}),
 * anything else as the driver reads it ({@code uuid}: UUID, {@code bigint}: Long, {@code int}:
 * Integer, {@code boolean}: Boolean, {@code bytea}: byte[]). A row of one column is its value, a row
 * of several an {@code Object[]}.
 */
public final class SqlStatement {

    private final Sql sql;
    private final String jdbcSql;
    /** For each JDBC placeholder in order, the number it had in the statement. */
    private final int[] placeholders;
    private final Map<Integer, Object> values = new TreeMap<>();
    private int maxRows;

    SqlStatement(Sql sql, String text) {
        this.sql = sql;
        List<Integer> numbers = new ArrayList<>();
        this.jdbcSql = numberedToJdbc(text, numbers);
        this.placeholders = numbers.stream().mapToInt(Integer::intValue).toArray();
    }

    public SqlStatement bind(int number, Object value) {
        if (value instanceof Collection<?>) {
            throw new IllegalArgumentException("parameter ?" + number + " is a collection: bind an array");
        }
        if (Arrays.stream(placeholders).noneMatch(n -> n == number)) {
            throw new IllegalArgumentException("the statement has no parameter ?" + number);
        }
        values.put(number, value);
        return this;
    }

    /** At most {@code rows} rows of the result are read. */
    public SqlStatement maxRows(int rows) {
        this.maxRows = rows;
        return this;
    }

    /** Every row: each a value when the result has one column, else an {@code Object[]}. */
    @SuppressWarnings("unchecked")
    public <T> List<T> list() {
        return (List<T>) list(SqlStatement::currentRow);
    }

    public <T> List<T> list(Sql.RowMapper<T> mapper) {
        return sql.withConnection(c -> {
            try (PreparedStatement ps = prepared(c)) {
                if (maxRows > 0) {
                    ps.setMaxRows(maxRows);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<T> rows = new ArrayList<>();
                    while (rs.next()) {
                        rows.add(mapper.map(rs));
                    }
                    return rows;
                }
            }
        });
    }

    /** The first row, if any, mapped. */
    public <T> Optional<T> first(Sql.RowMapper<T> mapper) {
        List<T> rows = maxRows(1).list(mapper);
        return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
    }

    /** The only row (a statement that always answers one, such as an aggregate or {@code exists}). */
    public <T> T single() {
        List<T> rows = list();
        if (rows.size() != 1) {
            throw new NoSuchElementException("expected one row, got " + rows.size());
        }
        return rows.get(0);
    }

    /** Runs an insert, update or delete; the number of rows it changed. */
    public int update() {
        return sql.withConnection(c -> {
            try (PreparedStatement ps = prepared(c)) {
                return ps.executeUpdate();
            }
        });
    }

    private PreparedStatement prepared(Connection c) throws SQLException {
        for (int n : placeholders) {
            if (!values.containsKey(n)) {
                throw new IllegalStateException("parameter ?" + n + " is not bound");
            }
        }
        PreparedStatement ps = c.prepareStatement(jdbcSql);
        try {
            for (int i = 0; i < placeholders.length; i++) {
                bindValue(c, ps, i + 1, values.get(placeholders[i]));
            }
            return ps;
        } catch (SQLException | RuntimeException e) {
            ps.close();
            throw e;
        }
    }

    private static void bindValue(Connection c, PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof Instant instant) {
            ps.setObject(index, OffsetDateTime.ofInstant(instant, ZoneOffset.UTC));
        } else if (value instanceof String[] strings) {
            ps.setArray(index, c.createArrayOf("text", strings));
        } else {
            ps.setObject(index, value);
        }
    }

    private static Object currentRow(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int columns = md.getColumnCount();
        if (columns == 1) {
            return column(rs, md, 1);
        }
        Object[] row = new Object[columns];
        for (int i = 0; i < columns; i++) {
            row[i] = column(rs, md, i + 1);
        }
        return row;
    }

    private static Object column(ResultSet rs, ResultSetMetaData md, int i) throws SQLException {
        switch (md.getColumnTypeName(i)) {
            case "timestamptz":
                return toInstant(rs.getObject(i, OffsetDateTime.class));
            case "timestamp": {
                LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                return t == null ? null : t.toInstant(ZoneOffset.UTC);
            }
            default: {
                Object v = rs.getObject(i);
                if (v instanceof Array array) {
                    try {
                        return array.getArray();
                    } finally {
                        array.free();
                    }
                }
                return v;
            }
        }
    }

    /** A timestamp column read by name, null when null. */
    public static Instant instant(ResultSet rs, String column) throws SQLException {
        return toInstant(rs.getObject(column, OffsetDateTime.class));
    }

    private static Instant toInstant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    /** A {@code text[]} column read by name as a (modifiable) list, empty when null. */
    public static List<String> strings(ResultSet rs, String column) throws SQLException {
        Array a = rs.getArray(column);
        if (a == null) {
            return List.of();
        }
        try {
            return new ArrayList<>(Arrays.asList((String[]) a.getArray()));
        } finally {
            a.free();
        }
    }

    /**
     * The statement with each {@code ?N} outside quotes and comments replaced by JDBC's {@code ?},
     * the numbers collected in order. A bare {@code ?} is refused (it would bind by position).
     */
    static String numberedToJdbc(String text, List<Integer> numbers) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        int n = text.length();
        while (i < n) {
            char ch = text.charAt(i);
            if (ch == '\'' || ch == '"') {
                int end = text.indexOf(ch, i + 1);
                while (end >= 0 && end + 1 < n && text.charAt(end + 1) == ch) {
                    end = text.indexOf(ch, end + 2);
                }
                if (end < 0) {
                    throw new IllegalArgumentException("unterminated quote in a statement");
                }
                out.append(text, i, end + 1);
                i = end + 1;
            } else if (ch == '-' && i + 1 < n && text.charAt(i + 1) == '-') {
                int end = text.indexOf('\n', i);
                end = end < 0 ? n : end;
                out.append(text, i, end);
                i = end;
            } else if (ch == '?') {
                int j = i + 1;
                while (j < n && Character.isDigit(text.charAt(j))) {
                    j++;
                }
                if (j == i + 1) {
                    throw new IllegalArgumentException("a bare ? in a statement: number the parameters (?1, ?2)");
                }
                numbers.add(Integer.parseInt(text.substring(i + 1, j)));
                out.append('?');
                i = j;
            } else {
                out.append(ch);
                i++;
            }
        }
        return out.toString();
    }
}
