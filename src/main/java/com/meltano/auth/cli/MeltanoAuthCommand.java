package com.meltano.auth.cli;

import java.io.PrintWriter;
import java.util.List;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.arc.Unremovable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar quarkus-run.jar COMMAND}: the command line of SPEC section 11, mirroring
 * Meltano's {@code meltano user add}. Every command is a thin adapter over the services the admin
 * API uses (same rules, transactions, notifications to running servers, audit events with the
 * actor {@value #ACTOR}); it prints its answer, and nothing else, on standard output.
 */
@Dependent
@Unremovable // created by the picocli factory, injected nowhere
@Command(name = "meltano-auth", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
        versionProvider = MeltanoAuthCommand.Version.class, usageHelpAutoWidth = true,
        description = "Manages users, roles, clients and signing keys of Meltano Auth, on the database of "
                + "QUARKUS_DATASOURCE_JDBC_URL or the embedded one of MELTANO_AUTH_DATA_DIR, whether or not a server runs on it.",
        subcommands = { UserCommands.class, RoleCommands.class, ClientCommands.class, KeysCommands.class,
                WhoCanCommand.class, HelpCommand.class })
public class MeltanoAuthCommand {

    /** The actor of the audit events of every command. */
    static final String ACTOR = "cli";

    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Print the answer as JSON, in the shapes of the admin API (/admin/api).")
    boolean json;

    @Spec
    CommandSpec spec;

    @Inject
    ObjectMapper mapper;

    /** Prints the answer: {@code value} as JSON with {@code --json}, else {@code rows} in aligned columns. */
    void answer(Object value, List<List<String>> rows) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            try {
                out.println(mapper.writeValueAsString(value));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write the answer as JSON", e);
            }
        } else {
            Columns.print(out, rows);
        }
        out.flush();
    }

    /** The version of the packaged application (from the jar's manifest). */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = MeltanoAuthCommand.class.getPackage().getImplementationVersion();
            return new String[] { "meltano-auth " + (version == null ? "(development build)" : version) };
        }
    }
}
