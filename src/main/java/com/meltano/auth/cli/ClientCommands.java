package com.meltano.auth.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import com.meltano.auth.oauth2.client.ClientRegistration;
import com.meltano.auth.oauth2.client.ClientService;
import com.meltano.auth.oauth2.client.ClientView;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code client ...}: registered OAuth clients (SPEC section 11; the admin API's {@code /clients}). */
@Command(name = "client", description = "Register and list OAuth clients.")
public class ClientCommands {

    private static final int PAGE = 200;

    @ParentCommand
    MeltanoAuthCommand top;

    @Inject
    ClientService clients;

    @Command(name = "add", description = "Register a client; prints its client_id and, once, its client_secret.")
    void add(@Parameters(paramLabel = "NAME") String name,
            @Option(names = "--grant", paramLabel = "TYPE", required = true, split = ",",
                    description = "A grant type: authorization_code, refresh_token, client_credentials (repeatable).") List<String> grants,
            @Option(names = "--role", paramLabel = "ROLE", description = "A role the client holds (repeatable).") List<String> roles,
            @Option(names = "--redirect-uri", paramLabel = "URI", description = "A redirect URI (repeatable).") List<String> redirectUris,
            @Option(names = "--scope", paramLabel = "SCOPE", description = "A scope the client may obtain (repeatable).") List<String> scopes,
            @Option(names = "--public", description = "A public client (token_endpoint_auth_method none): no secret.") boolean publicClient,
            @Option(names = "--admin-api", description = "The client may obtain the admin scope.") boolean adminApi,
            @Option(names = "--subject-type", paramLabel = "TYPE",
                    description = "public (the user id, default) or pairwise (a sub per sector).") String subjectType,
            @Option(names = "--sector", paramLabel = "HOST",
                    description = "The sector of a pairwise client (default: the one host of its redirect URIs).") String sector) {
        ClientView c = clients.create(MeltanoAuthCommand.ACTOR, new ClientRegistration(null, name,
                redirectUris == null ? List.of() : redirectUris, null, grants, publicClient ? "none" : null, scopes, roles,
                null, adminApi ? Boolean.TRUE : null, null, subjectType, sector));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("client_id", c.clientId()));
        if (c.clientSecret() != null) {
            rows.add(List.of("client_secret", c.clientSecret()));
        }
        top.answer(c, rows);
    }

    @Command(name = "list", description = "List every client: client_id, name, grant types, roles.")
    void list() {
        List<ClientView> all = new ArrayList<>();
        String after = null;
        List<ClientView> page;
        do {
            page = clients.list(after, PAGE);
            all.addAll(page);
            after = page.isEmpty() ? null : page.get(page.size() - 1).clientId();
        } while (page.size() == PAGE);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("items", all);
        answer.put("next_cursor", null);
        top.answer(answer, all.stream().map(c -> List.of(c.clientId(), c.name(), String.join(",", c.grantTypes()),
                c.roles().isEmpty() ? "-" : String.join(",", c.roles()))).toList());
    }
}
