package com.meltano.auth.cli;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import com.meltano.auth.rbac.Permission;
import com.meltano.auth.rbac.RbacService;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code role ...}: roles and their permissions (SPEC sections 8, 11; the admin API's {@code /roles}). */
@Command(name = "role", description = "Create, list and delete roles; permit and unpermit (TYPE, CONTEXT) pairs.")
public class RoleCommands {

    @ParentCommand
    MeltanoAuthCommand top;

    @Inject
    RbacService rbac;

    @Command(name = "add", description = "Create a role (no permissions yet); prints it.")
    void add(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--description", paramLabel = "TEXT") String description) {
        RbacService.RoleView role = rbac.createRole(MeltanoAuthCommand.ACTOR, name, description);
        top.answer(role, List.of(row(role)));
    }

    @Command(name = "permit", description = "Give ROLE the permission TYPE on CONTEXT; both are patterns (* any run, ? one character).")
    void permit(@Parameters(paramLabel = "ROLE") String role, @Parameters(paramLabel = "TYPE") String type,
            @Parameters(paramLabel = "CONTEXT") String context) {
        Permission p = rbac.addPermission(MeltanoAuthCommand.ACTOR, role, type, context);
        top.answer(p, List.of(List.of(role, pair(p))));
    }

    @Command(name = "unpermit", description = "Take the permission TYPE on CONTEXT from ROLE.")
    void unpermit(@Parameters(paramLabel = "ROLE") String role, @Parameters(paramLabel = "TYPE") String type,
            @Parameters(paramLabel = "CONTEXT") String context) {
        rbac.removePermission(MeltanoAuthCommand.ACTOR, role, type, context);
    }

    @Command(name = "list", description = "List every role with its permissions (TYPE CONTEXT, comma-separated).")
    void list() {
        List<RbacService.RoleView> roles = rbac.listRoles();
        top.answer(Map.of("items", roles), roles.stream().map(RoleCommands::row).toList());
    }

    @Command(name = "delete", description = "Delete a role; its holders lose it (the built-in admin and regular stay).")
    void delete(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--yes", required = true, description = "Confirm the deletion.") boolean yes) {
        rbac.deleteRole(MeltanoAuthCommand.ACTOR, name);
    }

    private static List<String> row(RbacService.RoleView role) {
        String permissions = role.permissions().stream().map(RoleCommands::pair).collect(Collectors.joining(", "));
        return List.of(role.name(), permissions.isEmpty() ? "-" : permissions);
    }

    /** A permission as {@code who-can} shows the pair that matched: {@code TYPE CONTEXT}. */
    private static String pair(Permission p) {
        return p.type() + " " + p.context();
    }
}
