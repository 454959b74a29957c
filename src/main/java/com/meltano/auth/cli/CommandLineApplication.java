package com.meltano.auth.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.OptionalInt;

import jakarta.inject.Inject;

import com.meltano.auth.common.ServiceException;

import io.quarkus.runtime.QuarkusApplication;
import picocli.CommandLine;
import picocli.CommandLine.IFactory;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Runs one command of {@link MeltanoAuthCommand} inside Quarkus, its commands created by the
 * CDI-aware factory of quarkus-picocli. Exit status 0, or 1 with one line on standard error: a
 * usage error, a refused change ({@code meltano-auth: field: message}, as the admin API's error
 * names the field), or the kind of an unexpected failure, never a stack trace (SPEC section 11).
 */
public class CommandLineApplication implements QuarkusApplication {

    static final String PREFIX = "meltano-auth: ";

    @Inject
    IFactory factory;

    @Override
    public int run(String... args) {
        return commandLine(factory).execute(args);
    }

    /**
     * What the launcher answers before starting the database and Quarkus: the exit status of
     * {@code --help}, {@code --version}, {@code help} or a usage error (printed here), or empty
     * when {@code args} name a command to run.
     */
    public static OptionalInt answerWithoutRunning(String... args) {
        CommandLine cli = commandLine(CommandLine.defaultFactory());
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(args);
        } catch (ParameterException e) {
            return OptionalInt.of(usageError(e));
        }
        Integer help = CommandLine.executeHelpRequest(parsed);
        if (help != null) {
            cli.getOut().flush();
            return OptionalInt.of(help);
        }
        ParseResult leaf = parsed;
        while (leaf.hasSubcommand()) {
            leaf = leaf.subcommand();
        }
        Object command = leaf.commandSpec().userObject();
        if (!(command instanceof Runnable || command instanceof Method)) {
            return OptionalInt.of(usageError(new ParameterException(leaf.commandSpec().commandLine(),
                    "a command is required: " + String.join(", ", leaf.commandSpec().subcommands().keySet()))));
        }
        return OptionalInt.empty();
    }

    private static CommandLine commandLine(IFactory factory) {
        CommandLine cli = new CommandLine(MeltanoAuthCommand.class, factory);
        cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cli.setParameterExceptionHandler((e, args) -> usageError(e));
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> failure(e));
        return cli;
    }

    /** One line: what was wrong and where to read the usage; exit status 1 (SPEC section 11), not picocli's 2. */
    private static int usageError(ParameterException e) {
        String message = firstLine(e.getMessage());
        System.err.println(PREFIX + message + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
        return 1;
    }

    private static int failure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ServiceException refused) {
                System.err.println(PREFIX + (refused.field() == null ? "" : refused.field() + ": ") + firstLine(refused.getMessage()));
                return 1;
            }
        }
        // framework messages may quote values (SQL parameters, say): name the kind of failure only
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        System.err.println(PREFIX + "failed (" + root.getClass().getSimpleName() + ")");
        return 1;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
