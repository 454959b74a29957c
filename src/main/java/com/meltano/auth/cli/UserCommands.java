package com.meltano.auth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import com.meltano.auth.account.AccountAdmin;
import com.meltano.auth.account.NewUsers;
import com.meltano.auth.account.UserView;
import com.meltano.auth.account.UserViews;
import com.meltano.auth.common.ServiceException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code user ...}: local accounts, found by email (SPEC section 11; the admin API's {@code /users}). */
@Command(name = "user", description = "Create, list, enable, disable and erase users; set their roles and passwords.")
public class UserCommands {

    private static final int PAGE = 200;

    @ParentCommand
    MeltanoAuthCommand top;

    @Inject
    NewUsers newUsers;

    @Inject
    UserViews views;

    @Inject
    AccountAdmin accounts;

    @Command(name = "add", description = "Create a user (role regular unless --role is given); prints the user.")
    void add(@Parameters(paramLabel = "EMAIL") String email,
            @Option(names = "--role", paramLabel = "ROLE", description = "A role to hold (repeatable).") List<String> roles,
            @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
            boolean passwordStdin) {
        String password = passwordStdin ? passwordFromStandardInput() : null;
        show(newUsers.create(MeltanoAuthCommand.ACTOR, email, password, roles));
    }

    @Command(name = "list", description = "List every user: email, state, roles, id.")
    void list() {
        List<UserView> all = new ArrayList<>();
        UUID after = null;
        List<UserView> page;
        do {
            page = views.list(null, after, PAGE);
            all.addAll(page);
            after = page.isEmpty() ? null : page.get(page.size() - 1).id();
        } while (page.size() == PAGE);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", all);
        answer.put("next_cursor", null);
        top.answer(answer, all.stream().map(UserCommands::row).toList());
    }

    @Command(name = "enable", description = "Let the user sign in again.")
    void enable(@Parameters(paramLabel = "EMAIL") String email) {
        show(accounts.update(MeltanoAuthCommand.ACTOR, idOf(email), new AccountAdmin.UserChanges(true, null, null)));
    }

    @Command(name = "disable", description = "Stop the user from signing in; revokes the user's grants.")
    void disable(@Parameters(paramLabel = "EMAIL") String email) {
        show(accounts.update(MeltanoAuthCommand.ACTOR, idOf(email), new AccountAdmin.UserChanges(false, null, null)));
    }

    @Command(name = "password", description = "Set the user's password from the first line of standard input; revokes the user's grants.")
    void password(@Parameters(paramLabel = "EMAIL") String email) {
        UUID id = idOf(email);
        show(accounts.update(MeltanoAuthCommand.ACTOR, id, new AccountAdmin.UserChanges(null, passwordFromStandardInput(), null)));
    }

    @Command(name = "roles", description = "Replace the user's manual roles with ROLE... (roles from GitLab groups stay).")
    void roles(@Parameters(paramLabel = "EMAIL", index = "0") String email,
            @Parameters(paramLabel = "ROLE", index = "1..*", arity = "1..*") List<String> roles) {
        show(accounts.replaceRoles(MeltanoAuthCommand.ACTOR, idOf(email), roles));
    }

    @Command(name = "delete", description = "Erase the user: account, credentials, linked identities, consents, grants and tokens.")
    void delete(@Parameters(paramLabel = "EMAIL") String email,
            @Option(names = "--yes", required = true, description = "Confirm the erasure (it cannot be undone).") boolean yes) {
        accounts.delete(MeltanoAuthCommand.ACTOR, idOf(email));
    }

    private void show(UserView user) {
        top.answer(user, List.of(row(user)));
    }

    private static List<String> row(UserView u) {
        return List.of(u.email(), u.enabled() ? "enabled" : "disabled", u.roles().isEmpty() ? "-" : String.join(",", u.roles()),
                u.id().toString());
    }

    private UUID idOf(String email) {
        return views.findByEmail(email)
                .orElseThrow(() -> new ServiceException(ServiceException.Kind.NOT_FOUND, "email", "no user with this email")).id();
    }

    /** SPEC section 11: a password never comes from an argument (visible in ps and shell history). */
    private static String passwordFromStandardInput() {
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw ServiceException.invalid("password", "standard input holds no password (one line is read)");
            }
            return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read standard input", e);
        }
    }
}
