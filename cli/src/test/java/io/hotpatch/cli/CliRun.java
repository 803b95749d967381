package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the {@code hotpatch} command line: exit code, stdout and stderr. */
public record CliRun(int exitCode, String out, String err) {
  public static CliRun of(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = HotPatchCli.newCommandLine(args);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /**
   * Asserts the run failed with one line on stderr, {@code hotpatch: <cause>: <fix>}, containing
   * {@code expected}.
   */
  public CliRun assertOneLineError(String expected) {
    assertThat(err().lines()).as(toString()).hasSize(1);
    assertThat(err()).startsWith("hotpatch: ").contains(expected).doesNotContain("\tat ");
    return this;
  }

  @Override
  public String toString() {
    return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
  }
}
