package io.hotpatch.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hotpatch bench}: for the demo service under load, hot patch against restart: time to
 * patched, request latency, failed requests, and the attaching process's peak memory. Prints
 * figures, asserts nothing.
 */
@Command(name = "bench", description = "Benchmark a hot patch against a restart of the demo service (prints figures).")
final class BenchCommand extends CliCommand {
  @Option(names = "--runs", defaultValue = "5", paramLabel = "N",
      description = "Applies and restarts to take the median of (default ${DEFAULT-VALUE}).")
  int runs;

  @Override
  public Integer call() {
    if (runs < 1) {
      throw CliException.usage("--runs " + runs + " is not a count: pass 1 or more");
    }
    Path agentJar = AgentJar.locate();
    Agent agent = Agent.local();
    BenchFigures figures;
    try (Cleanup cleanup = Cleanup.onExit()) {
      figures = new BenchScript(agent, agentJar, cleanup, this::progress, runs).run();
    }
    if (json) {
      printJson(figures);
    } else {
      table(figures).forEach(this::say);
    }
    return 0;
  }

  private static List<String> table(BenchFigures f) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("hotpatch bench: sample checkout service, Java " + f.javaVersion() + ", " + BenchScript.LOAD_THREADS
        + " load threads, median of " + f.runs() + " runs");
    lines.addAll(new Table("", "hot patch", "restart", "restart / hot")
        .row("time to patched (median)", f.hotApplyMedianMillis() + " ms", f.restartMedianMillis() + " ms",
            f.restartOverHotRatio() + "x")
        .row("p50 latency (steady " + f.steadyP50Millis() + " ms)", f.duringPatchP50Millis() + " ms",
            f.afterRestartP50Millis() + " ms", ratio(f.afterRestartP50Millis(), f.duringPatchP50Millis()))
        .row("p99 latency (steady " + f.steadyP99Millis() + " ms)", f.duringPatchP99Millis() + " ms",
            f.afterRestartP99Millis() + " ms", ratio(f.afterRestartP99Millis(), f.duringPatchP99Millis()))
        .row("failed requests (all runs)", f.hotFailedRequests(), f.restartFailedRequests(), "")
        .lines());
    lines.add("hot patch: apply call duration (attach + verify + redefine); latency over the apply/revert runs");
    lines.add("restart:   stop to first successful answer; latency over the first second after each restart");
    lines.add("peak RSS of the attaching process: " + f.attacherPeakRssKib() / 1024 + " MiB ("
        + f.attacherRssMethod() + ")");
    return lines;
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "" : Math.round(a * 10 / b) / 10.0 + "x";
  }
}
