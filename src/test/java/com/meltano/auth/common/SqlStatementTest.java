package com.meltano.auth.common;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlStatementTest {

    private static String jdbc(String sql, List<Integer> numbers) {
        return SqlStatement.numberedToJdbc(sql, numbers);
    }

    @Test
    void numberedParametersBecomeJdbcPlaceholdersInTheirOrderOfAppearance() {
        List<Integer> numbers = new ArrayList<>();
        assertThat(jdbc("update t set a = ?2 where id = ?1 and (cast(?2 as text) is null or b = ?10)", numbers))
                .isEqualTo("update t set a = ? where id = ? and (cast(? as text) is null or b = ?)");
        assertThat(numbers).containsExactly(2, 1, 2, 10);
    }

    @Test
    void questionMarksInQuotesAndCommentsAreLeftAlone() {
        List<Integer> numbers = new ArrayList<>();
        assertThat(jdbc("select 'is it?', \"odd?col\", 'it''s ?3' from t -- why?\nwhere a = ?1", numbers))
                .isEqualTo("select 'is it?', \"odd?col\", 'it''s ?3' from t -- why?\nwhere a = ?");
        assertThat(numbers).containsExactly(1);
    }

    @Test
    void bareQuestionMarkIsRefusedRatherThanBoundByPosition() {
        assertThatThrownBy(() -> jdbc("select 1 where a = ?", new ArrayList<>()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("number the parameters");
    }

    @Test
    void unterminatedQuoteIsRefused() {
        assertThatThrownBy(() -> jdbc("select 'open", new ArrayList<>())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bindingANumberTheStatementLacksOrACollectionIsRefused() {
        SqlStatement s = new SqlStatement(null, "select ?1");
        assertThatThrownBy(() -> s.bind(2, "x")).hasMessageContaining("no parameter ?2");
        assertThatThrownBy(() -> s.bind(1, List.of("a"))).hasMessageContaining("bind an array");
    }
}
