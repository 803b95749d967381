package io.hotpatch.cli;

import io.hotpatch.cli.BenchFigures.Latency;
import io.hotpatch.cli.BenchFigures.Pauses;
import io.hotpatch.sample.JavaHomes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hotpatch bench}: for the demo service under load, hot patch against restart: time to
 * patched, request latency, failed requests, the redefinition's safepoint pause from the target's
 * own log, and the attaching process's peak memory. Prints figures, asserts nothing.
 */
@Command(name = "bench", description = "Benchmark a hot patch against a restart of the demo service (prints figures).")
final class BenchCommand extends CliCommand {
  @Option(names = "--runs", defaultValue = "5", paramLabel = "N",
      description = "Applies and restarts to take the median of (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(names = "--java-home", paramLabel = "PATH",
      description = "JDK that runs the demo service (default: the one running this command).")
  Path javaHome;

  @Override
  public Integer call() {
    if (runs < 1) {
      throw CliException.usage("--runs " + runs + " is not a count: pass 1 or more");
    }
    Path home = javaHome != null ? javaHome.toAbsolutePath() : JavaHomes.current();
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw CliException.usage("--java-home " + home + " has no bin/java: pass the home directory of a JDK 17+");
    }
    Path agentJar = AgentJar.locate();
    Agent agent = Agent.local();
    BenchFigures figures;
    try (Cleanup cleanup = Cleanup.onExit()) {
      figures = new BenchScript(agent, agentJar, home, cleanup, this::progress, runs).run();
    }
    if (json) {
      printJson(figures);
    } else {
      table(figures).forEach(this::say);
    }
    return 0;
  }

  static List<String> table(BenchFigures f) {
    List<String> lines = new ArrayList<>();
    lines.add("");
    lines.add("hotpatch bench: sample checkout service on Java " + f.targetJavaVersion() + " (" + f.targetJavaHome()
        + "), attacher on Java " + f.attacherJavaVersion() + ", " + BenchScript.LOAD_THREADS + " load threads, "
        + f.runs() + " runs");
    Latency steady = f.steady();
    Latency hot = f.duringApply();
    Latency restart = f.afterRestart();
    lines.addAll(new Table("", "hot patch", "restart", "restart / hot")
        .row("time to patched (median)", f.hotApplyMedianMillis() + " ms", f.restartMedianMillis() + " ms",
            f.restartOverHotRatio() + "x")
        .row("p50 latency (steady " + steady.p50Millis() + " ms)", hot.p50Millis() + " ms",
            restart.p50Millis() + " ms", ratio(restart.p50Millis(), hot.p50Millis()))
        .row("p99 latency (steady " + steady.p99Millis() + " ms)", hot.p99Millis() + " ms",
            restart.p99Millis() + " ms", ratio(restart.p99Millis(), hot.p99Millis()))
        .row("max latency (steady " + steady.maxMillis() + " ms)", hot.maxMillis() + " ms",
            restart.maxMillis() + " ms", ratio(restart.maxMillis(), hot.maxMillis()))
        .row("requests in the latency windows (steady " + steady.requests() + ")", hot.requests(),
            restart.requests(), "")
        .row("failed requests (all runs)", f.hotFailedRequests(), f.restartFailedRequests(), "")
        .lines());
    lines.add("time to patched: hot patch = one apply call (attach + verify + redefine), restart = stop to first"
        + " successful answer");
    lines.add("latency, steady:    " + steady.window());
    lines.add("latency, hot patch: " + hot.window());
    lines.add("latency, restart:   " + restart.window());
    lines.add("failed requests, hot patch: from the first apply to the last revert; restart: from the first stop"
        + " to 100 requests after the last restart");
    lines.add("");
    lines.add("safepoint pauses of the patched JVM (its own -Xlog:safepoint; Total = reaching + at safepoint +"
        + " cleanup/leaving):");
    lines.addAll(new Table("", "count", "median", "max")
        .row(pauseRow("\"" + SafepointLog.REDEFINE + "\" per apply", f.redefinePauseApply()))
        .row(pauseRow("\"" + SafepointLog.REDEFINE + "\" per revert", f.redefinePauseRevert()))
        .row(pauseRow("all other safepoints (reference)", f.otherSafepointPauses()))
        .lines());
    lines.add("other safepoints: every other VM operation the JVM logged from its start to the last revert");
    lines.add("");
    lines.add("peak RSS of the attaching process: " + f.attacherPeakRssKib() / 1024 + " MiB ("
        + f.attacherRssMethod() + ")");
    return lines;
  }

  private static Object[] pauseRow(String label, Pauses pauses) {
    return new Object[] {label, pauses.count(), pauses.medianMicros() + " us", pauses.maxMicros() + " us"};
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "" : Math.round(a * 10 / b) / 10.0 + "x";
  }
}
