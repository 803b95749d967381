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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The benchmark's measurements on the demo service under load: steady state, repeated apply and
 * revert with the target's own safepoint log, one attach from a child JVM for its peak RSS, and
 * repeated restarts.
 */
final class BenchScript {
  static final int LOAD_THREADS = 4;
  private static final String RSS_METHOD =
      "child JVM running 'hotpatch apply', VmHWM from /proc/<pid>/status sampled every ms until exit";
  private static final long ONE_SECOND = 1_000_000_000L;
  private static final int WARM_UP_REQUESTS = 3000;
  private static final int STEADY_REQUESTS = 2000;
  private static final long SAFEPOINT_LOG_WAIT_MILLIS = 2000;

  private final Agent agent;
  private final Path agentJar;
  private final Path javaHome;
  private final Cleanup cleanup;
  private final Consumer<String> progress;
  private final int runs;
  private final SampleService sample;
  private final SafepointLog safepoints;
  private final List<Long> otherPauses = new ArrayList<>();

  private Path v1;
  private SampleService.Patch fix;
  private TargetJvm target;
  private LoadGenerator load;

  BenchScript(Agent agent, Path agentJar, Path javaHome, Cleanup cleanup, Consumer<String> progress, int runs) {
    this.agent = agent;
    this.agentJar = agentJar;
    this.javaHome = javaHome;
    this.cleanup = cleanup;
    this.progress = progress;
    this.runs = runs;
    Path dir = cleanup.tempDir("hotpatch-bench");
    this.sample = new SampleService(dir);
    this.safepoints = new SafepointLog(dir.resolve("safepoint.log"));
  }

  /** Durations of one phase's runs, its request latency and the requests that failed in it. */
  private record Phase(List<Long> durations, Latency latency, long failed) {}

  /** The hot patch phase: its runs, and the redefinition pause of each apply and each revert (ns). */
  private record HotPhase(Phase phase, List<Long> applyPauses, List<Long> revertPauses) {}

  BenchFigures run() {
    v1 = sample.jar(SampleVersion.V1_BUGGY);
    fix = sample.bundle(v1, sample.jar(SampleVersion.V2_HOT_FIX), "fix.jar");
    // Only this first JVM is patched, so only it logs safepoints; the restarted ones run without.
    target = cleanup.add(sample.start(javaHome, v1, 0, safepoints.jvmOption()));
    load = cleanup.add(LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS));
    Latency steady = steadyState();
    HotPhase hot = hotPatches();
    long rssKib = attacherPeakRss();
    Phase restart = restarts();
    load.stop();
    long hotMedian = median(hot.phase().durations());
    long restartMedian = median(restart.durations());
    return new BenchFigures("OK", javaVersion(javaHome), javaHome.toString(), System.getProperty("java.version"), runs,
        millis(hotMedian), millis(restartMedian), Math.round(restartMedian * 10.0 / hotMedian) / 10.0,
        steady, hot.phase().latency(), restart.latency(), hot.phase().failed(), restart.failed(),
        pauses(hot.applyPauses()), pauses(hot.revertPauses()), pauses(otherPauses), rssKib, RSS_METHOD);
  }

  private Latency steadyState() {
    progress.accept("warming up the service under load (" + LOAD_THREADS + " threads)...");
    load.awaitRequests(WARM_UP_REQUESTS);
    long from = System.nanoTime();
    load.awaitRequests(STEADY_REQUESTS);
    long to = System.nanoTime();
    LoadStats steady = load.statsBetween(from, to);
    return new Latency(fromMicros(steady.p50Micros()), fromMicros(steady.p99Micros()), fromMicros(steady.maxMicros()),
        steady.requests(), "requests started while " + STEADY_REQUESTS + " completed (" + millis(to - from)
            + " ms) after a " + WARM_UP_REQUESTS + "-request warm-up, before any patch");
  }

  /**
   * Apply then revert, {@code runs} times. Latency counts only requests started during an apply
   * call; after each call the safepoint log is read for the redefinition it caused.
   */
  private HotPhase hotPatches() {
    progress.accept("hot patch: " + runs + " x (apply, revert)...");
    List<Long> applies = new ArrayList<>();
    List<LoadStats> applyWindows = new ArrayList<>();
    List<Long> applyPauses = new ArrayList<>();
    List<Long> revertPauses = new ArrayList<>();
    long failedBefore = load.stats().failed();
    redefinePause(safepoints.next()); // startup, warm-up and steady state: only other safepoints
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      PatchResult applied = agent.apply(target.pid(), fix.bundle(), fix.sha256(), false);
      long end = System.nanoTime();
      applies.add(end - start);
      applyWindows.add(load.statsBetween(start, end));
      expect(applied, ResultState.APPLIED);
      applyPauses.add(redefinePause(safepoints.nextWithRedefine(SAFEPOINT_LOG_WAIT_MILLIS)));
      expect(agent.revert(target.pid(), fix.sha256()), ResultState.REVERTED);
      revertPauses.add(redefinePause(safepoints.nextWithRedefine(SAFEPOINT_LOG_WAIT_MILLIS)));
    }
    Latency during = new Latency(
        fromMicros(median(applyWindows.stream().map(LoadStats::p50Micros).toList())),
        fromMicros(median(applyWindows.stream().map(LoadStats::p99Micros).toList())),
        fromMicros(applyWindows.stream().mapToLong(LoadStats::maxMicros).max().orElse(0)),
        applyWindows.stream().mapToLong(LoadStats::requests).sum(),
        "requests started during each apply call; median over the " + runs
            + " calls of each call's p50 and p99, max over all (reverts excluded)");
    return new HotPhase(new Phase(applies, during, load.stats().failed() - failedBefore), applyPauses, revertPauses);
  }

  /** The summed redefinition pause among {@code pauses} (ns); the other safepoints go to the reference set. */
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

  /** Peak RSS of a separate JVM that does one real {@code hotpatch apply}, as a user would run it. */
  private long attacherPeakRss() {
    progress.accept("attacher memory: one 'hotpatch apply' in a child JVM...");
    PeakRss.Run child = PeakRss.of(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-D" + AgentJar.PROPERTY + "=" + agentJar, "-cp", System.getProperty("java.class.path"),
        HotPatchCli.class.getName(), "apply", "--pid", Long.toString(target.pid()), fix.bundle().toString()));
    if (child.exitCode() != 0) {
      throw CliException.failure("the child 'hotpatch apply' failed (" + child.output().strip()
          + "): run 'hotpatch apply' by hand to see why");
    }
    expect(agent.revert(target.pid(), fix.sha256()), ResultState.REVERTED);
    return child.peakKib();
  }

  /** Stop and start, {@code runs} times; latency over the first second after each restart (median). */
  private Phase restarts() {
    progress.accept("restart: " + runs + " x (stop, start, first successful answer)...");
    List<Long> restarts = new ArrayList<>();
    List<LoadStats> firstSeconds = new ArrayList<>();
    long failedBefore = load.stats().failed();
    for (int i = 0; i < runs; i++) {
      int port = target.port();
      long stopAt = System.nanoTime();
      cleanup.closeNow(target);
      // Answers to requests sent before the old JVM was gone do not count as the restarted service.
      long goneAt = System.nanoTime();
      target = cleanup.add(sample.start(javaHome, v1, port));
      long firstOk = SampleService.awaitAnswer(load, SampleVersion.V1_BUGGY.expectedQuote(), goneAt);
      restarts.add(firstOk - stopAt);
      load.awaitRequests(500);
      firstSeconds.add(load.statsBetween(firstOk, firstOk + ONE_SECOND));
    }
    load.awaitRequests(100);
    Latency latency = new Latency(
        fromMicros(median(firstSeconds.stream().map(LoadStats::p50Micros).toList())),
        fromMicros(median(firstSeconds.stream().map(LoadStats::p99Micros).toList())),
        fromMicros(firstSeconds.stream().mapToLong(LoadStats::maxMicros).max().orElse(0)),
        firstSeconds.stream().mapToLong(LoadStats::requests).sum(),
        "requests started in the first second after each restart's first successful answer; median over the "
            + runs + " restarts of each second's p50 and p99, max over all");
    return new Phase(restarts, latency, load.stats().failed() - failedBefore);
  }

  private static void expect(PatchResult result, ResultState state) {
    if (result.getState() != state) {
      throw CliException.failure("expected " + state + " but the agent said " + result
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

  /** The JDK's version from its {@code release} file ({@code JAVA_VERSION}), or "?" when it has none. */
  static String javaVersion(Path home) {
    try (var lines = Files.lines(home.resolve("release"))) {
      return lines.filter(l -> l.startsWith("JAVA_VERSION=")).map(l -> l.substring(13).replace("\"", ""))
          .findFirst().orElse("?");
    } catch (IOException | UncheckedIOException e) {
      return "?";
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
