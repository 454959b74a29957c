package com.meltano.auth.rbac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Tests of the {@code roles} and {@code permissions} claims of SPEC section 7. */
class PermissionsClaimTest {

    private static final String REPLACEMENT = "\uFFFD";
    private static final String GRINNING = "\uD83D\uDE00"; // U+1F600

    @Test
    void rolesWhenDuplicatesThenDistinctAndSorted() {
        assertEquals(List.of("admin", "analyst", "viewer"),
                PermissionsClaim.roles(List.of("viewer", "analyst", "admin", "analyst")));
    }

    @Test
    void rolesWhenEmptyThenEmpty() {
        assertEquals(List.of(), PermissionsClaim.roles(List.of()));
    }

    @Test
    void rolesWhenSupplementaryCharacterThenSortedAfterBmpCharacters() {
        // String.compareTo sees the surrogate U+D83D and puts the emoji before U+FFFD.
        assertTrue(GRINNING.compareTo(REPLACEMENT) < 0);
        assertEquals(List.of(REPLACEMENT, GRINNING),
                PermissionsClaim.roles(List.of(GRINNING, REPLACEMENT)));
    }

    @Test
    void rolesWhenReturnedThenUnmodifiable() {
        List<String> roles = PermissionsClaim.roles(List.of("a"));
        assertThrows(UnsupportedOperationException.class, () -> roles.add("b"));
    }

    static Stream<Arguments> codePointOrderCases() {
        return Stream.of(
                Arguments.of("", "", 0),
                Arguments.of("", "a", -1),
                Arguments.of("a", "", 1),
                Arguments.of("a", "b", -1),
                Arguments.of("ab", "a", 1),
                Arguments.of("Z", "a", -1),
                Arguments.of(REPLACEMENT, GRINNING, -1),
                Arguments.of(GRINNING, REPLACEMENT, 1),
                Arguments.of("x" + GRINNING, "x" + GRINNING, 0),
                Arguments.of("\uE000", GRINNING, -1));
    }

    @ParameterizedTest(name = "compare(\"{0}\", \"{1}\") has sign {2}")
    @MethodSource("codePointOrderCases")
    void codePointOrderWhenComparedThenOrdersByCodePoint(String a, String b, int sign) {
        assertEquals(sign, Integer.signum(PermissionsClaim.CODE_POINT_ORDER.compare(a, b)));
    }

    @Test
    void permissionsWhenStarContextThenCollapsesThatTypeOnly() {
        SortedMap<String, List<String>> claim = PermissionsClaim.permissions(List.of(
                new Permission("view:reports", "finance.*"),
                new Permission("view:reports", "*"),
                new Permission("view:reports", "marketing.q1"),
                new Permission("view:design", "marketing.*"),
                new Permission("view:design", "finance.*")));
        assertEquals(Map.of(
                        "view:design", List.of("finance.*", "marketing.*"),
                        "view:reports", List.of("*")),
                claim);
        assertEquals(List.of("view:design", "view:reports"), List.copyOf(claim.keySet()));
    }

    @Test
    void permissionsWhenSameGrantFromTwoRolesThenAppearsOnce() {
        SortedMap<String, List<String>> claim = PermissionsClaim.permissions(List.of(
                new Permission("view:design", "finance.*"),
                new Permission("view:design", "finance.*")));
        assertEquals(Map.of("view:design", List.of("finance.*")), claim);
    }

    @Test
    void permissionsWhenStarTypeThenKeptAsItsOwnKey() {
        SortedMap<String, List<String>> claim = PermissionsClaim.permissions(List.of(
                new Permission("*", "finance.*"),
                new Permission("view:design", "marketing.*"),
                new Permission("view:*", "sales.*")));
        assertEquals(List.of("*", "view:*", "view:design"), List.copyOf(claim.keySet()));
        assertEquals(List.of("finance.*"), claim.get("*"));
        assertEquals(List.of("marketing.*"), claim.get("view:design"));
        assertEquals(List.of("sales.*"), claim.get("view:*"));
    }

    @Test
    void permissionsWhenOverlappingPatternsThenNothingMerged() {
        SortedMap<String, List<String>> claim = PermissionsClaim.permissions(List.of(
                new Permission("view:design", "finance.q1"),
                new Permission("view:design", "finance.*"),
                new Permission("view:design", "fin?nce.q1")));
        assertEquals(List.of("fin?nce.q1", "finance.*", "finance.q1"), claim.get("view:design"));
    }

    @Test
    void permissionsWhenSupplementaryCharactersThenSortedByCodePoint() {
        SortedMap<String, List<String>> claim = PermissionsClaim.permissions(List.of(
                new Permission(GRINNING, GRINNING),
                new Permission(GRINNING, REPLACEMENT),
                new Permission(REPLACEMENT, "a")));
        assertEquals(List.of(REPLACEMENT, GRINNING), List.copyOf(claim.keySet()));
        assertEquals(List.of(REPLACEMENT, GRINNING), claim.get(GRINNING));
    }

    @Test
    void permissionsWhenEmptyThenEmpty() {
        assertTrue(PermissionsClaim.permissions(List.of()).isEmpty());
    }

    @Test
    void permissionsWhenReturnedThenUnmodifiable() {
        SortedMap<String, List<String>> claim =
                PermissionsClaim.permissions(List.of(new Permission("view:design", "a")));
        assertThrows(UnsupportedOperationException.class, () -> claim.put("x", List.of()));
        assertThrows(UnsupportedOperationException.class,
                () -> claim.get("view:design").add("b"));
    }

    @Test
    void permissionWhenNullPartThenNullPointerException() {
        assertThrows(NullPointerException.class, () -> new Permission(null, "a"));
        assertThrows(NullPointerException.class, () -> new Permission("a", null));
    }
}
