package dev.mapreduce.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mr} command line. */
@Command(
        name = "mr",
        mixinStandardHelpOptions = true,
        versionProvider = Mr.Version.class,
        description = {
            "MapReduce for log analysis.",
            "",
            "local and ingest work on files and Kafka directly; the other commands talk to the gateway"
                    + " (--gateway, default $MR_GATEWAY or http://127.0.0.1:8090; --api-key, default $MR_API_KEY).",
            "Exit status: 0 done, 1 the job or the cluster failed, 2 the request was wrong.",
        })
public final class Mr implements Runnable {

    /**
     * The subcommands by name. Only the one a command line names is made (picocli reads every
     * option of a command by reflection: all of them took 0.15 s of each run); the usage, help and
     * completion get them all.
     */
    static final java.util.Map<String, Class<?>> SUBCOMMANDS = subcommands(
            "local", LocalCommand.class,
            "ingest", IngestCommand.class,
            "topics", TopicsCommand.class,
            "submit", SubmitCommand.class,
            "query", QueryCommand.class,
            "status", StatusCommand.class,
            "list", ListCommand.class,
            "results", ResultsCommand.class,
            "cancel", CancelCommand.class,
            "delete", DeleteCommand.class,
            "workers", WorkersCommand.class,
            "functions", FunctionsCommand.class,
            "inputs", InputsCommand.class,
            "generate-completion", picocli.AutoComplete.GenerateCompletion.class,
            "help", CommandLine.HelpCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 job failed, 2 bad usage). */
    static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(System.err, true), args);
    }

    static int execute(java.io.PrintWriter out, java.io.PrintWriter err, String... args) {
        return execute(out, err, System.getenv(), args);
    }

    static int execute(
            java.io.PrintWriter out,
            java.io.PrintWriter err,
            java.util.Map<String, String> environment,
            String... args) {
        CommandLine cli = new CommandLine(new Mr());
        Class<?> named = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
        boolean aboutTheOthers =
                named == CommandLine.HelpCommand.class || named == picocli.AutoComplete.GenerateCompletion.class;
        for (Class<?> command : named != null && !aboutTheOthers ? java.util.List.of(named) : SUBCOMMANDS.values()) {
            cli.addSubcommand(command);
        }
        cli.setExpandAtFiles(false); // --format @file.json is ours to read, not an argument file
        cli.setDefaultValueProvider(GatewayOptions.defaults(environment));
        cli.registerConverter(java.util.UUID.class, Mr::jobId);
        CommandLine local = cli.getSubcommands().get("local");
        if (local != null) {
            local.getHelpSectionMap()
                    .put(
                            CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER,
                            help -> help.createHeading(LocalCommand.functionsHelp() + "%n"));
        }
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr()
                    .println("mr: " + ex.getMessage() + " (see '"
                            + cmd.getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof GatewayException gateway) {
                gateway.lines().forEach(cmd.getErr()::println);
                return gateway.exitCode();
            }
            cmd.getErr().println("mr: " + describe(ex));
            return ex instanceof IllegalArgumentException || ex instanceof java.nio.file.NoSuchFileException ? 2 : 1;
        });
        return cli.execute(args);
    }

    /** Names and classes, in pairs (each name is its class's {@code @Command} name: reading those took 0.06 s). */
    private static java.util.Map<String, Class<?>> subcommands(Object... namesAndClasses) {
        java.util.Map<String, Class<?>> byName = new java.util.LinkedHashMap<>();
        for (int i = 0; i < namesAndClasses.length; i += 2) {
            byName.put((String) namesAndClasses[i], (Class<?>) namesAndClasses[i + 1]);
        }
        return java.util.Collections.unmodifiableMap(byName);
    }

    /** Job ids in canonical form only, as the gateway takes them (UUID.fromString accepts "1-2-3-4-5"). */
    private static java.util.UUID jobId(String value) {
        if (!value.matches("(?i)[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a job id (a UUID)");
        }
        return java.util.UUID.fromString(value);
    }

    static String describe(Throwable ex) {
        if (ex instanceof dev.mapreduce.engine.sql.QueryException q) {
            return "query: " + q.describe();
        }
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file or folder: " + nsf.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException ade) {
            return "cannot read " + ade.getFile() + ": permission denied";
        }
        return ex.getMessage() != null && !ex.getMessage().isBlank() ? ex.getMessage() : ex.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code mr VERSION (commit ABBREV[, modified], TIME)}, from the jar and the git.properties the build writes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mr.class.getPackage().getImplementationVersion();
            java.util.Properties git = new java.util.Properties();
            try (java.io.InputStream in = Mr.class.getResourceAsStream("/git.properties")) {
                if (in != null) {
                    git.load(in);
                }
            } catch (java.io.IOException e) {
                // no commit to show: the version alone
            }
            String line = "mr " + (v == null ? "(development build)" : v);
            String commit = git.getProperty("git.commit.id.abbrev");
            if (commit != null && !commit.isBlank()) {
                line += " (commit " + commit
                        + ("true".equals(git.getProperty("git.dirty")) ? ", with uncommitted changes" : "")
                        + ", " + git.getProperty("git.commit.time", "time unknown") + ")";
            }
            return new String[] {line};
        }
    }
}
