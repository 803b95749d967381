package io.hotpatch.cli;

import static io.hotpatch.cli.Durations.fromMicros;
import static io.hotpatch.cli.Durations.millis;

import io.hotpatch.cli.BenchFigures.Latency;
import io.hotpatch.cli.BenchFigures.Pauses;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The benchmark's measurements on a sample service under load, one JVM per way in: a JVM with the
 * agent resident from its start (as the operator injects it) patched through the agent's socket,
 * then a plain JVM patched by attach, each with its own steady state, apply and revert runs and
 * safepoint log; {@code hotpatch apply} as a new process against the resident agent; one attach
 * from a child JVM for its peak RSS; and repeated restarts into the fixed build.
 */
final class BenchScript {
  static final int LOAD_THREADS = 4;
  private static final String RSS_METHOD =
      "child JVM running 'hotpatch apply', VmHWM from /proc/<pid>/status sampled every ms until exit";
  private static final long ONE_SECOND = 1_000_000_000L;
  private static final int WARM_UP_REQUESTS = 3000;
  private static final int STEADY_REQUESTS = 2000;
  private static final long SAFEPOINT_LOG_WAIT_MILLIS = 2000;

  /**
   * Set by bin/hotpatch to itself, so the CLI is timed as users start it (class-data archive
   * included).
   */
  static final String LAUNCHER_PROPERTY = "hotpatch.launcher";

  /** The lock bin/hotpatch holds while it writes the CLI's class-data archive. */
  private static final String ARCHIVE_LOCK_PROPERTY = "hotpatch.cds.writing";

  private static final long ARCHIVE_WAIT_NANOS = 60_000_000_000L;

  private final Agent agent;
  private final Path agentJar;
  private final Path javaHome;
  private final Cleanup cleanup;
  private final Consumer<String> progress;
  private final int runs;
  private final Path dir;
  private final SampleService sample;
  private final List<Long> otherPauses = new ArrayList<>();

  private Path v1;
  private Path v2;
  private SampleService.Patch fix;
  private TargetJvm target;
  private LoadGenerator load;

  BenchScript(
      Agent agent,
      Path agentJar,
      Path javaHome,
      SampleService.Kind service,
      Cleanup cleanup,
      Consumer<String> progress,
      int runs) {
    this.agent = agent;
    this.agentJar = agentJar;
    this.javaHome = javaHome;
    this.cleanup = cleanup;
    this.progress = progress;
    this.runs = runs;
    this.dir = cleanup.tempDir("hotpatch-bench");
    this.sample = new SampleService(dir, service);
  }

  /** Durations of one phase's runs, its request latency and the requests that failed in it. */
  private record Phase(List<Long> durations, Latency latency, long failed) {}

  BenchFigures run() {
    v1 = sample.jar(SampleVersion.V1_BUGGY);
    v2 = sample.jar(SampleVersion.V2_HOT_FIX);
    fix = sample.bundle(v1, v2, "fix.jar");

    SafepointLog residentLog = new SafepointLog(dir.resolve("safepoint-resident.log"));
    startUnderLoad(
        residentLog.jvmOption(), "-javaagent:" + agentJar + "=socket=" + dir.resolve("run"));
    Latency residentSteady = steadyState();
    HotRuns resident = hotPatches("resident agent (socket)", residentLog);
    List<Long> cliApplies = cliApplies("under load");
    load.stop();
    List<Long> idleCliApplies = cliApplies("service idle");
    cleanup.closeNow(target);

    SafepointLog attachLog = new SafepointLog(dir.resolve("safepoint-attach.log"));
    startUnderLoad(attachLog.jvmOption());
    Latency attachSteady = steadyState();
    HotRuns attach = hotPatches("attach", attachLog);
    long rssKib = attacherPeakRss();
    Phase restart = restarts();
    load.stop();

    long restartMedian = median(restart.durations());
    long cliMedian = median(cliApplies);
    return new BenchFigures(
        "OK",
        sample.kind().cliName(),
        javaVersion(javaHome),
        javaHome.toString(),
        System.getProperty("java.version"),
        runs,
        resident.figures(residentSteady, restartMedian),
        attach.figures(attachSteady, restartMedian),
        millis(restartMedian),
        restart.latency(),
        restart.failed(),
        new BenchFigures.CliApplies(
            String.join(" ", cliCommand("apply")),
            cliApplies.size(),
            millis(cliMedian),
            millis(Collections.min(cliApplies)),
            ratio(restartMedian, cliMedian),
            millis(median(idleCliApplies)),
            millis(Collections.min(idleCliApplies))),
        pauses(otherPauses),
        rssKib,
        RSS_METHOD);
  }

  private void startUnderLoad(String... jvmArgs) {
    target = cleanup.add(sample.start(javaHome, v1, 0, jvmArgs));
    load = cleanup.add(LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS));
  }

  private Latency steadyState() {
    progress.accept("warming up the service under load (" + LOAD_THREADS + " threads)...");
    load.awaitRequests(WARM_UP_REQUESTS);
    long from = System.nanoTime();
    load.awaitRequests(STEADY_REQUESTS);
    long to = System.nanoTime();
    LoadStats steady = load.statsBetween(from, to);
    return new Latency(
        fromMicros(steady.p50Micros()),
        fromMicros(steady.p99Micros()),
        fromMicros(steady.maxMicros()),
        steady.requests(),
        "requests started while "
            + STEADY_REQUESTS
            + " completed ("
            + millis(to - from)
            + " ms) after a "
            + WARM_UP_REQUESTS
            + "-request warm-up, before any patch");
  }

  /** The runs of one way in: apply durations, their latency windows, pauses, the agent's phases. */
  private record HotRuns(
      String way,
      Phase phase,
      List<Long> applyPauses,
      List<Long> revertPauses,
      List<Map<String, Double>> phases) {
    BenchFigures.HotPath figures(Latency steady, long restartMedian) {
      long median = median(phase.durations());
      return new BenchFigures.HotPath(
          way,
          hundredths(phase.durations().get(0)),
          hundredths(median),
          ratio(restartMedian, median),
          steady,
          phase.latency(),
          phase.failed(),
          pauses(applyPauses),
          pauses(revertPauses),
          phases.get(0),
          medianPhases(phases));
    }
  }

  /**
   * Apply then revert, {@code runs} times, from this process as the sidecar does (one warm client).
   * Latency counts only requests started during an apply call; after each call the safepoint log is
   * read for the redefinition it caused.
   */
  private HotRuns hotPatches(String way, SafepointLog safepoints) {
    progress.accept("hot patch, " + way + ": " + runs + " x (apply, revert)...");
    List<Long> applies = new ArrayList<>();
    List<LoadStats> applyWindows = new ArrayList<>();
    List<Long> applyPauses = new ArrayList<>();
    List<Long> revertPauses = new ArrayList<>();
    List<Map<String, Double>> phases = new ArrayList<>();
    long failedBefore = load.stats().failed();
    redefinePause(safepoints.next()); // startup, warm-up and steady state: only other safepoints
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      PatchResult applied = agent.apply(target.pid(), fix.bundle(), fix.sha256(), false);
      long end = System.nanoTime();
      applies.add(end - start);
      applyWindows.add(load.statsBetween(start, end));
      expect(applied, ResultState.APPLIED);
      phases.add(applied.getPhases());
      applyPauses.add(redefinePause(safepoints.nextWithRedefine(SAFEPOINT_LOG_WAIT_MILLIS)));
      expect(agent.revert(target.pid(), fix.sha256()), ResultState.REVERTED);
      revertPauses.add(redefinePause(safepoints.nextWithRedefine(SAFEPOINT_LOG_WAIT_MILLIS)));
    }
    Latency during =
        new Latency(
            fromMicros(median(applyWindows.stream().map(LoadStats::p50Micros).toList())),
            fromMicros(median(applyWindows.stream().map(LoadStats::p99Micros).toList())),
            fromMicros(applyWindows.stream().mapToLong(LoadStats::maxMicros).max().orElse(0)),
            applyWindows.stream().mapToLong(LoadStats::requests).sum(),
            "requests started during each apply call; median over the "
                + runs
                + " calls of each call's p50 and p99, max over all (reverts excluded)");
    return new HotRuns(
        way,
        new Phase(applies, during, load.stats().failed() - failedBefore),
        applyPauses,
        revertPauses,
        phases);
  }

  /**
   * {@code hotpatch apply} in a new process, {@code runs} times, against the resident agent
   * (reverted in between from here): the wall time a user waits, CLI start-up included. One untimed
   * run goes first, as a user's first apply after a build lists the classes the launcher then adds
   * to the CLI's class-data archive, in the background: the timed runs wait until it is written.
   */
  private List<Long> cliApplies(String situation) {
    progress.accept("hotpatch apply as a new process, " + situation + ": 1 + " + runs + " x...");
    List<Long> walls = new ArrayList<>();
    for (int i = -1; i < runs; i++) {
      long start = System.nanoTime();
      String output =
          runCli(
              cliCommand("apply", "--pid", Long.toString(target.pid()), fix.bundle().toString()));
      if (i >= 0) {
        walls.add(System.nanoTime() - start);
      } else {
        awaitArchiveWritten();
      }
      if (!output.contains("APPLIED")) {
        throw CliException.failure(
            "'hotpatch apply' did not apply (" + output.strip() + "): run it by hand to see why");
      }
      expect(agent.revert(target.pid(), fix.sha256()), ResultState.REVERTED);
    }
    return walls;
  }

  /** Waits, at most a minute, while the launcher holds its lock for writing the archive. */
  private void awaitArchiveWritten() {
    String lock = System.getProperty(ARCHIVE_LOCK_PROPERTY, "");
    long deadline = System.nanoTime() + ARCHIVE_WAIT_NANOS;
    while (!lock.isEmpty() && Files.isDirectory(Path.of(lock)) && System.nanoTime() < deadline) {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw CliException.failure("interrupted while the CLI's class-data archive was written");
      }
    }
  }

  /**
   * The command line of the CLI: bin/hotpatch when it started this process, else this JVM's class
   * path.
   */
  private List<String> cliCommand(String... args) {
    List<String> command = new ArrayList<>();
    String launcher = System.getProperty(LAUNCHER_PROPERTY, "");
    if (!launcher.isEmpty()) {
      command.add(launcher);
    } else {
      command.addAll(
          List.of(
              Path.of(System.getProperty("java.home"), "bin", "java").toString(),
              "-D" + AgentJar.PROPERTY + "=" + agentJar,
              "-cp",
              System.getProperty("java.class.path"),
              HotPatchCli.class.getName()));
    }
    command.addAll(List.of(args));
    return command;
  }

  private static String runCli(List<String> command) {
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor();
      return output;
    } catch (IOException e) {
      throw CliException.failure(
          "cannot run " + command.get(0) + " (" + e.getMessage() + "): check the installation");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted while 'hotpatch apply' ran");
    }
  }

  /**
   * The summed redefinition pause among {@code pauses} (ns); the other safepoints go to the
   * reference set.
   */
  private long redefinePause(List<SafepointLog.Pause> pauses) {
    long redefine = 0;
    for (SafepointLog.Pause pause : pauses) {
      if (pause.isRedefine()) {
        redefine += pause.totalNanos();
      } else {
        otherPauses.add(pause.totalNanos());
      }
    }
    return redefine;
  }

  /**
   * Peak RSS of a separate JVM that does one real {@code hotpatch apply}, as a user would run it.
   */
  private long attacherPeakRss() {
    progress.accept("attacher memory: one 'hotpatch apply' in a child JVM...");
    PeakRss.Run child =
        PeakRss.of(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-D" + AgentJar.PROPERTY + "=" + agentJar,
                "-cp",
                System.getProperty("java.class.path"),
                HotPatchCli.class.getName(),
                "apply",
                "--pid",
                Long.toString(target.pid()),
                fix.bundle().toString()));
    if (child.exitCode() != 0) {
      throw CliException.failure(
          "the child 'hotpatch apply' failed ("
              + child.output().strip()
              + "): run 'hotpatch apply' by hand to see why");
    }
    expect(agent.revert(target.pid(), fix.sha256()), ResultState.REVERTED);
    return child.peakKib();
  }

  /**
   * Stop and start the fixed build, {@code runs} times, as a restart ships a fix; latency over the
   * first second after each restart (median).
   */
  private Phase restarts() {
    progress.accept("restart: " + runs + " x (stop, start the fixed build, first fixed answer)...");
    List<Long> restarts = new ArrayList<>();
    List<LoadStats> firstSeconds = new ArrayList<>();
    long failedBefore = load.stats().failed();
    for (int i = 0; i < runs; i++) {
      int port = target.port();
      long stopAt = System.nanoTime();
      cleanup.closeNow(target);
      // Answers to requests sent before the old JVM was gone do not count as the restarted service.
      long goneAt = System.nanoTime();
      target = cleanup.add(sample.start(javaHome, v2, port));
      long firstOk =
          SampleService.awaitAnswer(load, SampleVersion.V2_HOT_FIX.expectedQuote(), goneAt);
      restarts.add(firstOk - stopAt);
      load.awaitRequests(500);
      firstSeconds.add(load.statsBetween(firstOk, firstOk + ONE_SECOND));
    }
    load.awaitRequests(100);
    Latency latency =
        new Latency(
            fromMicros(median(firstSeconds.stream().map(LoadStats::p50Micros).toList())),
            fromMicros(median(firstSeconds.stream().map(LoadStats::p99Micros).toList())),
            fromMicros(firstSeconds.stream().mapToLong(LoadStats::maxMicros).max().orElse(0)),
            firstSeconds.stream().mapToLong(LoadStats::requests).sum(),
            "requests started in the first second after each restart's first successful answer; median over the "
                + runs
                + " restarts of each second's p50 and p99, max over all");
    return new Phase(restarts, latency, load.stats().failed() - failedBefore);
  }

  private static void expect(PatchResult result, ResultState state) {
    if (result.getState() != state) {
      throw CliException.failure(
          "expected "
              + state
              + " but the agent said "
              + result
              + ": run 'hotpatch demo' to check the setup");
    }
  }

  private static Pauses pauses(List<Long> nanos) {
    if (nanos.isEmpty()) {
      return new Pauses(0, 0, 0);
    }
    return new Pauses(nanos.size(), micros(median(nanos)), micros(Collections.max(nanos)));
  }

  /** Whole microseconds, rounded. */
  private static long micros(long nanos) {
    return Math.round(nanos / 1000.0);
  }

  /**
   * The JDK's version from its {@code release} file ({@code JAVA_VERSION}), or "?" when it has
   * none.
   */
  static String javaVersion(Path home) {
    try (var lines = Files.lines(home.resolve("release"))) {
      return lines
          .filter(l -> l.startsWith("JAVA_VERSION="))
          .map(l -> l.substring(13).replace("\"", ""))
          .findFirst()
          .orElse("?");
    } catch (IOException | UncheckedIOException e) {
      return "?";
    }
  }

  /** The median of each phase over the runs, in the order the agent reported them. */
  static Map<String, Double> medianPhases(List<Map<String, Double>> runs) {
    Map<String, Double> medians = new LinkedHashMap<>();
    for (String phase : runs.get(0).keySet()) {
      List<Double> values = new ArrayList<>();
      runs.forEach(run -> values.add(run.getOrDefault(phase, 0.0)));
      Collections.sort(values);
      medians.put(phase, values.get(values.size() / 2));
    }
    return medians;
  }

  private static double hundredths(long nanos) {
    return Math.round(nanos / 10_000.0) / 100.0;
  }

  private static double ratio(long a, long b) {
    return b == 0 ? 0 : Math.round(a * 10.0 / b) / 10.0;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
