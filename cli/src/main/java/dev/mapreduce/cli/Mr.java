package dev.mapreduce.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code mr} command line. */
@Command(
        name = "mr",
        mixinStandardHelpOptions = true,
        versionProvider = Mr.Version.class,
        description = "MapReduce for log analysis.",
        subcommands = {LocalCommand.class, IngestCommand.class, CommandLine.HelpCommand.class})
public final class Mr implements Runnable {

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
        CommandLine cli = new CommandLine(new Mr());
        cli.getSubcommands().get("local").getCommandSpec().usageMessage().footer(LocalCommand.functionsHelp());
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
            cmd.getErr().println("mr: " + describe(ex));
            return ex instanceof IllegalArgumentException || ex instanceof java.nio.file.NoSuchFileException ? 2 : 1;
        });
        return cli.execute(args);
    }

    static String describe(Throwable ex) {
        if (ex instanceof java.nio.file.NoSuchFileException nsf) {
            return "no such file or folder: " + nsf.getFile();
        }
        if (ex instanceof java.nio.file.AccessDeniedException ade) {
            return "cannot read " + ade.getFile() + ": permission denied";
        }
        return ex.getMessage() != null ? ex.getMessage() : ex.toString();
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Mr.class.getPackage().getImplementationVersion();
            return new String[] {"mr " + (v == null ? "(development build)" : v)};
        }
    }
}
