package com.meltano.auth.gitlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@code MELTANO_AUTH_GITLAB_GROUP_ROLES}: full group paths to roles (SPEC section 5a). */
class GroupRolesSettingTest {

    @Test
    void groupPathsMapToRolesAndAGroupMayGrantSeveral() {
        Map<String, List<String>> m = GitLabSettings.parseGroupRoles(" data-team=analyst, data-team/admins=admin,data-team=viewer ");

        assertThat(m).containsOnly(Map.entry("data-team", List.of("analyst", "viewer")),
                Map.entry("data-team/admins", List.of("admin")));
    }

    @Test
    void emptyValueMapsNothing() {
        assertThat(GitLabSettings.parseGroupRoles(" ")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"data-team", "=analyst", "data-team=", "data-team=analyst=x", "data team=analyst",
            "/data-team=analyst", "data-team/=analyst", "data-team=ana lyst", "a=b,,c=d"})
    void malformedEntryThenErrorNamingItsPositionNotItsValue(String value) {
        assertThatThrownBy(() -> GitLabSettings.parseGroupRoles(value))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("entry ");
    }
}
