package io.hotpatch.cli;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Entry point of the {@code hotpatch} command: wires the subcommands and maps failures to exit
 * codes.
 */
@Command(
    name = "hotpatch",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    version = "hotpatch 0.1.0",
    description = "Build, apply and revert patches of running JVMs without restarting them.",
    footer = {
      "",
      "Exit codes: 0 success, 2 usage error, 3 not hot-applicable, 4 precondition failed, 1 other failure."
    })
public final class HotPatchCli implements Callable<Integer> {
  /** Picocli's "Invalid value for option '--pid': 'abc' is not a long". */
  private static final Pattern NOT_A_NUMBER =
      Pattern.compile(
          "Invalid value for (?:option|positional parameter) '?([^':]+)'?: '(.*)' is not an? (?:long|int|integer)");

  private static final List<Class<? extends CliCommand>> SUBCOMMANDS =
      List.of(
          DiffCommand.class,
          ManifestsCommand.class,
          ApplyCommand.class,
          RevertCommand.class,
          StatusCommand.class,
          JvmsCommand.class,
          DemoCommand.class,
          BenchCommand.class);

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    List<Class<? extends CliCommand>> subcommands = subcommandsFor(args);
    SocketPrestart.startFor(subcommands);
    System.exit(newCommandLine(subcommands).execute(args));
  }

  /**
   * The configured command line for {@code args}; tests run it in process with their own writers.
   * Picocli reflects on every subcommand it is given, which is a good part of a short command's
   * start-up, so a command line whose first word names a subcommand gets only that one.
   */
  public static CommandLine newCommandLine(String... args) {
    return newCommandLine(subcommandsFor(args));
  }

  private static CommandLine newCommandLine(List<Class<? extends CliCommand>> subcommands) {
    CommandLine cli = new CommandLine(new HotPatchCli());
    for (Class<? extends CliCommand> subcommand : subcommands) {
      cli.addSubcommand(subcommand);
    }
    cli.setParameterExceptionHandler(HotPatchCli::usageError);
    cli.setExecutionExceptionHandler(HotPatchCli::failure);
    return cli;
  }

  private static List<Class<? extends CliCommand>> subcommandsFor(String[] args) {
    if (args.length > 0) {
      for (Class<? extends CliCommand> subcommand : SUBCOMMANDS) {
        if (subcommand.getAnnotation(Command.class).name().equals(args[0])) {
          return List.of(subcommand);
        }
      }
    }
    return SUBCOMMANDS;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return CliException.USAGE;
  }

  private static int usageError(ParameterException e, String[] args) {
    CommandLine cli = e.getCommandLine();
    String help = "run '" + cli.getCommandSpec().qualifiedName() + " --help' for usage";
    String message;
    if (e instanceof UnmatchedArgumentException unmatched
        && cli.getCommand() instanceof HotPatchCli
        && !unmatched.getUnmatched().isEmpty()
        && !unmatched.getUnmatched().get(0).startsWith("-")) {
      message =
          "'"
              + unmatched.getUnmatched().get(0)
              + "' is not a hotpatch command: use one of "
              + String.join(", ", cli.getSubcommands().keySet())
              + " ("
              + help
              + ")";
    } else {
      Matcher number = NOT_A_NUMBER.matcher(e.getMessage());
      message =
          number.find()
              ? number.group(1)
                  + " '"
                  + number.group(2)
                  + "' is not a whole number: pass digits only ("
                  + help
                  + ")"
              : e.getMessage().replaceAll("\\s+", " ").trim() + ": " + help;
    }
    return report(cli, CliException.USAGE, message, Arrays.asList(args).contains("--json"));
  }

  private static int failure(Exception e, CommandLine cli, ParseResult parsed) {
    if (e instanceof CliException known) {
      return report(cli, known.exitCode(), known.getMessage(), isJson(cli));
    }
    return report(
        cli,
        CliException.FAILURE,
        "unexpected "
            + e.getClass().getSimpleName()
            + " ("
            + e.getMessage()
            + "): please report it with the command you ran",
        isJson(cli));
  }

  /** One line on stderr, and in JSON mode also a JSON document on stdout. */
  private static boolean isJson(CommandLine cli) {
    return cli.getCommand() instanceof CliCommand command && command.json;
  }

  private static int report(CommandLine cli, int exitCode, String message, boolean json) {
    // One line, always: messages that quote a process's output may span several.
    String causeAndFix = message.strip().replaceAll("\\s*\\R\\s*", " / ");
    cli.getErr().println("hotpatch: " + causeAndFix);
    cli.getErr().flush();
    if (json) {
      Map<String, Object> document = new LinkedHashMap<>();
      document.put("status", "ERROR");
      document.put("exitCode", exitCode);
      document.put("error", causeAndFix);
      cli.getOut().println(CliCommand.toJson(document));
      cli.getOut().flush();
    }
    return exitCode;
  }
}
