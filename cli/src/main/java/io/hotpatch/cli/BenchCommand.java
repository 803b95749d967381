package io.hotpatch.cli;

import io.hotpatch.cli.BenchFigures.HotPath;
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
 * {@code hotpatch bench}: for the demo service (or the Spring Boot sample) under load, hot patch
 * through the resident agent and through attach against restart, side by side: time to patched,
 * {@code hotpatch apply}'s wall time, request latency, failed requests, the agent's phases, the
 * redefinition's safepoint pause from the target's own log, and the attaching process's peak
 * memory. Prints figures, asserts nothing.
 */
@Command(
    name = "bench",
    description =
        "Benchmark a hot patch (resident agent and attach) against a restart of a sample service (prints figures).")
final class BenchCommand extends CliCommand {
  @Option(
      names = "--runs",
      defaultValue = "5",
      paramLabel = "N",
      description = "Applies and restarts to take the median of (default ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--java-home",
      paramLabel = "PATH",
      description = "JDK that runs the service (default: the one running this command).")
  Path javaHome;

  @Option(
      names = "--service",
      defaultValue = "demo",
      paramLabel = "NAME",
      description =
          "demo (a plain JDK HTTP server) or spring-boot (a Spring Boot 3.5 web app in its fat jar,"
              + " built by the sample-spring-boot module); default ${DEFAULT-VALUE}.")
  String service;

  @Override
  public Integer call() {
    if (runs < 1) {
      throw CliException.usage("--runs " + runs + " is not a count: pass 1 or more");
    }
    SampleService.Kind kind = SampleService.Kind.named(service);
    Path home = javaHome != null ? javaHome.toAbsolutePath() : JavaHomes.current();
    if (!Files.isExecutable(home.resolve("bin/java"))) {
      throw CliException.usage(
          "--java-home " + home + " has no bin/java: pass the home directory of a JDK 17+");
    }
    Path agentJar = AgentJar.locate();
    Agent agent = Agent.local();
    BenchFigures figures;
    try (Cleanup cleanup = Cleanup.onExit()) {
      figures = new BenchScript(agent, agentJar, home, kind, cleanup, this::progress, runs).run();
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
    lines.add(
        "hotpatch bench: "
            + SampleService.Kind.named(f.service()).title()
            + " on Java "
            + f.targetJavaVersion()
            + " ("
            + f.targetJavaHome()
            + "), client on Java "
            + f.attacherJavaVersion()
            + ", "
            + BenchScript.LOAD_THREADS
            + " load threads, "
            + f.runs()
            + " runs");
    HotPath resident = f.resident();
    HotPath attach = f.attach();
    Latency restart = f.afterRestart();
    lines.addAll(
        new Table("", "resident agent", "attach", "restart")
            .row(
                "time to patched, median",
                resident.applyMedianMillis() + " ms",
                attach.applyMedianMillis() + " ms",
                f.restartMedianMillis() + " ms")
            .row(
                "restart / hot", resident.restartOverHot() + "x", attach.restartOverHot() + "x", "")
            .row(
                "time to patched, first apply",
                resident.firstApplyMillis() + " ms",
                attach.firstApplyMillis() + " ms",
                "")
            .row(
                "'hotpatch apply' wall time, median (min)",
                f.cli().medianMillis() + " ms (" + f.cli().minMillis() + " ms)",
                "",
                "")
            .row("restart / 'hotpatch apply'", f.cli().restartOverCli() + "x", "", "")
            .row(
                "'hotpatch apply', service idle, median (min)",
                f.cli().idleMedianMillis() + " ms (" + f.cli().idleMinMillis() + " ms)",
                "",
                "")
            .row(
                "p50 latency: steady / in window",
                latencies(resident.steady().p50Millis(), resident.duringApply().p50Millis()),
                latencies(attach.steady().p50Millis(), attach.duringApply().p50Millis()),
                restart.p50Millis() + " ms")
            .row(
                "p99 latency: steady / in window",
                latencies(resident.steady().p99Millis(), resident.duringApply().p99Millis()),
                latencies(attach.steady().p99Millis(), attach.duringApply().p99Millis()),
                restart.p99Millis() + " ms")
            .row(
                "p99 in window / steady",
                ratio(resident.duringApply().p99Millis(), resident.steady().p99Millis()),
                ratio(attach.duringApply().p99Millis(), attach.steady().p99Millis()),
                "")
            .row(
                "max latency in window",
                resident.duringApply().maxMillis() + " ms",
                attach.duringApply().maxMillis() + " ms",
                restart.maxMillis() + " ms")
            .row(
                "failed requests (all runs)",
                resident.failedRequests(),
                attach.failedRequests(),
                f.restartFailedRequests())
            .row(
                pauseCell(
                    "\"" + SafepointLog.REDEFINE + "\" pause per apply, median (max)",
                    resident,
                    attach))
            .lines());
    lines.add(
        "time to patched: hot = one apply call from this process, as the sidecar makes it (order in hand to"
            + " result in hand), restart = stop to first successful answer of the fixed build");
    lines.add(
        "'hotpatch apply': "
            + f.cli().command()
            + " ... as a new process, "
            + f.cli().runs()
            + " runs while the load runs, then "
            + f.cli().runs()
            + " with the load stopped");
    lines.add("latency, steady:    " + resident.steady().window() + " (each JVM its own)");
    lines.add("latency, hot patch: " + resident.duringApply().window());
    lines.add("latency, restart:   " + restart.window());
    lines.add("");
    lines.add(
        "ms per phase: inside the target (the agent's own clock), then the client's: findTarget, stage"
            + " (the bundle made readable to the target), socket/attach (from there to the reply)):");
    Table phases =
        new Table("phase", "resident first", "resident median", "attach first", "attach median");
    for (String phase : resident.medianPhases().keySet()) {
      phases.row(
          phase,
          resident.firstApplyPhases().getOrDefault(phase, 0.0),
          resident.medianPhases().getOrDefault(phase, 0.0),
          attach.firstApplyPhases().getOrDefault(phase, 0.0),
          attach.medianPhases().getOrDefault(phase, 0.0));
    }
    phases.row(
        "attach",
        "",
        "",
        attach.firstApplyPhases().getOrDefault("attach", 0.0),
        attach.medianPhases().getOrDefault("attach", 0.0));
    lines.addAll(phases.lines());
    lines.add("");
    lines.add(
        "safepoint pauses of the patched JVMs (their own -Xlog:safepoint; Total = reaching + at safepoint +"
            + " cleanup/leaving):");
    lines.addAll(
        new Table("", "count", "median", "max")
            .row(
                pauseRow(
                    "resident: \"" + SafepointLog.REDEFINE + "\" per apply",
                    resident.redefinePauseApply()))
            .row(
                pauseRow(
                    "resident: \"" + SafepointLog.REDEFINE + "\" per revert",
                    resident.redefinePauseRevert()))
            .row(
                pauseRow(
                    "attach: \"" + SafepointLog.REDEFINE + "\" per apply",
                    attach.redefinePauseApply()))
            .row(
                pauseRow(
                    "attach: \"" + SafepointLog.REDEFINE + "\" per revert",
                    attach.redefinePauseRevert()))
            .row(pauseRow("all other safepoints (reference)", f.otherSafepointPauses()))
            .lines());
    lines.add(
        "other safepoints: every other VM operation the JVMs logged from their start to the last revert");
    lines.add("");
    lines.add(
        "peak RSS of the attaching process: "
            + f.attacherPeakRssKib() / 1024
            + " MiB ("
            + f.attacherRssMethod()
            + ")");
    return lines;
  }

  private static String latencies(double steady, double window) {
    return steady + " / " + window + " ms";
  }

  private static Object[] pauseCell(String label, HotPath resident, HotPath attach) {
    return new Object[] {
      label, micros(resident.redefinePauseApply()), micros(attach.redefinePauseApply()), ""
    };
  }

  private static String micros(Pauses pauses) {
    return Math.round(pauses.medianMicros() / 100.0) / 10.0
        + " ms ("
        + Math.round(pauses.maxMicros() / 100.0) / 10.0
        + " ms)";
  }

  private static Object[] pauseRow(String label, Pauses pauses) {
    return new Object[] {
      label, pauses.count(), pauses.medianMicros() + " us", pauses.maxMicros() + " us"
    };
  }

  private static String ratio(double a, double b) {
    return b == 0 ? "" : Math.round(a * 10 / b) / 10.0 + "x";
  }
}
