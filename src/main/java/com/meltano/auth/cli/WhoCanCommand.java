package com.meltano.auth.cli;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import com.meltano.auth.access.SubjectAccess;
import com.meltano.auth.common.ServiceException;
import com.meltano.auth.rbac.Subject;
import com.meltano.auth.rbac.WhoCan;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code who-can TYPE RESOURCE} (SPEC section 11; the admin API's {@code GET /admin/api/access}):
 * one line per (role, subject): the role, the pattern pair that matched, the subject and the
 * assignment's source, and nothing else: a matching role that nobody holds has no line (a
 * script counting lines counts subjects; {@code --json} lists every matching role). With
 * {@code --user EMAIL} or {@code --client ID}: whether that one subject may, and why (the
 * permissions that allow it, or the near misses), as the console's who-can page explains it.
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

    @Option(names = "--user", paramLabel = "EMAIL", description = "Explain the answer for this user only.")
    String user;

    @Option(names = "--client", paramLabel = "ID", description = "Explain the answer for this client only.")
    String client;

    @Inject
    SubjectAccess subjects;

    @Override
    public void run() {
        if (user != null && client != null) {
            throw ServiceException.invalid("client", "name a user or a client, not both");
        }
        if (user != null || client != null) {
            explain();
            return;
        }
        WhoCan.Answer answer = whoCan.who(type, resource);
        List<List<String>> rows = new ArrayList<>();
        for (WhoCan.RoleMatch role : answer.roles()) {
            String matched = role.matched().type() + " " + role.matched().context();
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
        }
        top.answer(answer, rows);
    }

    /** One line: {@code yes|no SUBJECT}, then one line per allowing permission or near miss. */
    private void explain() {
        SubjectAccess.Explained subject = user != null ? subjects.user(user, type, resource) : subjects.client(client, type, resource);
        WhoCan.Explanation e = subject.explanation();
        List<List<String>> rows = new ArrayList<>();
        String name = (subject.kind() == Subject.USER ? "user " : "client ") + subject.name();
        rows.add(List.of(subject.allowed() ? "yes" : "no", name + (subject.enabled() ? "" : " (disabled)"), type, resource));
        for (WhoCan.Weighed w : e.allowing()) {
            rows.add(List.of("  allowed by", w.role() + " (" + w.source() + ")", w.type(), w.context()));
        }
        for (WhoCan.Weighed w : e.nearMisses()) {
            rows.add(List.of("  near miss", w.role() + " (" + w.source() + ")", w.type(), w.context(),
                    w.typeMatches() ? "context does not match" : "type does not match"));
        }
        if (e.assignments().isEmpty()) {
            rows.add(List.of("  no role"));
        }
        top.answer(e, rows);
    }
}
