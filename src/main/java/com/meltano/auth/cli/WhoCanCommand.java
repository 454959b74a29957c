package com.meltano.auth.cli;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.meltano.auth.rbac.WhoCan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code who-can TYPE RESOURCE} (SPEC section 11; the admin API's {@code GET /admin/api/access}):
 * one line per (role, subject): the role, the pattern pair that matched, the subject and the
 * assignment's source; a matching role that nobody holds gets one line with {@code -}.
 */
@Command(name = "who-can", description = "Who can do TYPE on RESOURCE (e.g. view:design finance.month_over_month): every role that"
        + " allows it with the pattern pair that matched, and every user and client holding such a role, one line each.")
public class WhoCanCommand implements Runnable {

    @ParentCommand
    MeltanoAuthCommand top;

    @Inject
    WhoCan whoCan;

    @Parameters(index = "0", paramLabel = "TYPE")
    String type;

    @Parameters(index = "1", paramLabel = "RESOURCE")
    String resource;

    @Override
    public void run() {
        WhoCan.Answer answer = whoCan.who(type, resource);
        List<List<String>> rows = new ArrayList<>();
        for (WhoCan.RoleMatch role : answer.roles()) {
            String matched = role.matched().type() + " " + role.matched().context();
            int before = rows.size();
            for (WhoCan.UserHolder u : answer.users()) {
                if (u.via().equals(role.name())) {
                    rows.add(List.of(role.name(), matched, "user " + u.email() + (u.enabled() ? "" : " (disabled)"), u.source()));
                }
            }
            for (WhoCan.ClientHolder c : answer.clients()) {
                if (c.via().equals(role.name())) {
                    rows.add(List.of(role.name(), matched, "client " + c.clientId(), c.source()));
                }
            }
            if (rows.size() == before) {
                rows.add(List.of(role.name(), matched, "-"));
            }
        }
        top.answer(answer, rows);
    }
}
