package io.hotpatch.cli;

import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * {@code hotpatch demo}: a sample service under load gets a hot fix live, then a schema change that
 * needs the restart fallback, and the two are compared side by side. No cluster needed.
 */
@Command(
    name = "demo",
    description =
        "Run the local demo (under a minute): hot patch vs restart on a sample service under load.")
final class DemoCommand extends CliCommand {
  @Override
  public Integer call() {
    Path agentJar = AgentJar.locate();
    Agent agent = Agent.local();
    DemoFigures figures;
    try (Cleanup cleanup = Cleanup.onExit()) {
      figures = new DemoScript(agent, agentJar, cleanup, this::progress).run();
    }
    if (json) {
      printJson(figures);
    } else {
      summary(figures).forEach(this::say);
    }
    return 0;
  }

  private static List<String> summary(DemoFigures f) {
    List<String> lines =
        new Table("", "hot patch (v1 -> v2)", "same, by attach", "restart fallback (-> v3)")
            .row(
                "time to patched",
                f.hotApplyMillis() + " ms",
                f.attachApplyMillis() + " ms",
                f.restartTimeToPatchedMillis() + " ms")
            .row("failed requests", f.hotFailedRequests(), "", f.restartFailedRequests())
            .row("downtime", "0 ms", "0 ms", f.restartDowntimeMillis() + " ms")
            .row(
                "how",
                "resident agent, socket (" + f.hotApplyState() + ")",
                "attach, then redefine",
                "startup agent (" + String.join(", ", f.startupPatchMethods()) + ")")
            .lines();
    lines.add("");
    lines.add(
        "hot patch: the agent loaded at JVM start, as the operator injects it into every pod; by attach: a JVM"
            + " started without it, as 'hotpatch apply' finds a local JVM");
    lines.add("");
    lines.add(
        "demo finished in " + f.totalSeconds() + " s; processes stopped, temporary files removed.");
    return lines;
  }
}
