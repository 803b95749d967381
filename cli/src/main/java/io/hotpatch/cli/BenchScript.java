package io.hotpatch.cli;

import static io.hotpatch.cli.Durations.fromMicros;
import static io.hotpatch.cli.Durations.millis;

import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The benchmark's measurements on the demo service under load: steady state, repeated apply and
 * revert, one attach from a child JVM for its peak RSS, and repeated restarts.
 */
final class BenchScript {
  static final int LOAD_THREADS = 4;
  private static final String RSS_METHOD =
      "child JVM running 'hotpatch apply', VmHWM from /proc/<pid>/status sampled every ms until exit";
  private static final long ONE_SECOND = 1_000_000_000L;

  private final Agent agent;
  private final Path agentJar;
  private final Cleanup cleanup;
  private final Consumer<String> progress;
  private final int runs;
  private final SampleService sample;

  private Path v1;
  private SampleService.Patch fix;
  private TargetJvm target;
  private LoadGenerator load;

  BenchScript(Agent agent, Path agentJar, Cleanup cleanup, Consumer<String> progress, int runs) {
    this.agent = agent;
    this.agentJar = agentJar;
    this.cleanup = cleanup;
    this.progress = progress;
    this.runs = runs;
    this.sample = new SampleService(cleanup.tempDir("hotpatch-bench"));
  }

  /** Durations of one phase's runs, its request latency percentiles and the requests that failed in it. */
  private record Phase(List<Long> durations, long p50Micros, long p99Micros, long failed) {}

  BenchFigures run() {
    v1 = sample.jar(SampleVersion.V1_BUGGY);
    fix = sample.bundle(v1, sample.jar(SampleVersion.V2_HOT_FIX), "fix.jar");
    target = cleanup.add(sample.start(v1, 0));
    load = cleanup.add(LoadGenerator.start(target.uri(SampleVersion.PRICE_PATH), LOAD_THREADS));
    LoadStats steady = steadyState();
    Phase hot = hotPatches();
    long rssKib = attacherPeakRss();
    Phase restart = restarts();
    load.stop();
    long hotMedian = median(hot.durations());
    long restartMedian = median(restart.durations());
    return new BenchFigures("OK", System.getProperty("java.version"), runs, millis(hotMedian), millis(restartMedian),
        Math.round(restartMedian * 10.0 / hotMedian) / 10.0,
        fromMicros(steady.p50Micros()), fromMicros(steady.p99Micros()),
        fromMicros(hot.p50Micros()), fromMicros(hot.p99Micros()),
        fromMicros(restart.p50Micros()), fromMicros(restart.p99Micros()),
        hot.failed(), restart.failed(), rssKib, RSS_METHOD);
  }

  private LoadStats steadyState() {
    progress.accept("warming up the service under load (" + LOAD_THREADS + " threads)...");
    load.awaitRequests(3000);
    long from = System.nanoTime();
    load.awaitRequests(2000);
    return load.statsBetween(from, System.nanoTime());
  }

  /** Apply then revert, {@code runs} times; latency over the whole apply/revert window. */
  private Phase hotPatches() {
    progress.accept("hot patch: " + runs + " x (apply, revert)...");
    List<Long> applies = new ArrayList<>();
    long failedBefore = load.stats().failed();
    long from = System.nanoTime();
    for (int i = 0; i < runs; i++) {
      long start = System.nanoTime();
      PatchResult applied = agent.apply(target.pid(), fix.bundle(), fix.sha256());
      applies.add(System.nanoTime() - start);
      expect(applied, ResultState.APPLIED);
      expect(agent.revert(target.pid(), fix.sha256()), ResultState.REVERTED);
    }
    LoadStats during = load.statsBetween(from, System.nanoTime());
    return new Phase(applies, during.p50Micros(), during.p99Micros(), load.stats().failed() - failedBefore);
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
      target = cleanup.add(sample.start(v1, port));
      long firstOk = SampleService.awaitAnswer(load, SampleVersion.V1_BUGGY.expectedQuote(), goneAt);
      restarts.add(firstOk - stopAt);
      load.awaitRequests(500);
      firstSeconds.add(load.statsBetween(firstOk, firstOk + ONE_SECOND));
    }
    load.awaitRequests(100);
    return new Phase(restarts, median(firstSeconds.stream().map(LoadStats::p50Micros).toList()),
        median(firstSeconds.stream().map(LoadStats::p99Micros).toList()), load.stats().failed() - failedBefore);
  }

  private static void expect(PatchResult result, ResultState state) {
    if (result.getState() != state) {
      throw CliException.failure("expected " + state + " but the agent said " + result
          + ": run 'hotpatch demo' to check the setup");
    }
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
