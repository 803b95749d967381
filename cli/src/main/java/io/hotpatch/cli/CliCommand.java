package io.hotpatch.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Base of every subcommand: the shared {@code --json} switch and the output streams. */
abstract class CliCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print one JSON document on stdout (for machines).")
  boolean json;

  @Spec CommandSpec spec;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Prints a human line, unless the command runs in JSON mode (stdout then holds only JSON). */
  void say(String line) {
    if (!json) {
      out().println(line);
      out().flush();
    }
  }

  /**
   * Prints a progress line of a long command: stdout, or stderr in JSON mode (stdout holds only
   * JSON).
   */
  void progress(String line) {
    PrintWriter stream = json ? err() : out();
    stream.println(line);
    stream.flush();
  }

  /**
   * Prints an apply, check or revert result (JSON or human lines) and returns its exit code; a
   * plain failure (no class was looked at, such as an unknown patch id) takes the shape of every
   * other error.
   */
  int printResult(long pid, PatchResult result, long startNanos) {
    if (result.getState() == ResultState.FAILED && result.getClasses().isEmpty()) {
      throw new CliException(ResultState.FAILED.exitCode(), result.getMessage());
    }
    ResultReport report =
        ResultReport.of(pid, result, (System.nanoTime() - startNanos) / 1_000_000);
    if (json) {
      printJson(report);
    } else {
      report.lines().forEach(this::say);
    }
    return result.getState().exitCode();
  }

  /** Prints the command's one JSON document. */
  void printJson(Object document) {
    out().println(toJson(document));
    out().flush();
  }

  /** "1 class", "2 classes". */
  static String plural(long count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  /** Jackson loads only when a command prints JSON: most runs print text, and start-up counts. */
  private static final class Json {
    static final ObjectMapper MAPPER =
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  }

  static String toJson(Object document) {
    try {
      return Json.MAPPER.writeValueAsString(document);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("our own report types always serialize", e);
    }
  }
}
