package io.hotpatch.cli;

import static io.hotpatch.cli.Durations.fromMicros;
import static io.hotpatch.cli.Durations.millis;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The demo's steps, in order, each printed with its figures: build, start under load, hot fix,
 * refused schema change, restart fallback. Checks every observed answer, so a broken setup fails
 * loudly instead of printing a pretty table.
 */
final class DemoScript {
  private static final int STEPS = 9;
  private static final int LOAD_THREADS = 4;
  private static final String PRICE = SampleVersion.PRICE_PATH;

  private final Agent agent;
  private final Path agentJar;
  private final Cleanup cleanup;
  private final Consumer<String> progress;
  private final SampleService sample;
  private final long startNanos = System.nanoTime();
  private int step;

  private Path v1;
  private Path v2;
  private Path v3;
  private TargetJvm target;
  private LoadGenerator load;
  private LoadStats steady;
  private String buggy;
  private long firstHot;

  DemoScript(Agent agent, Path agentJar, Cleanup cleanup, Consumer<String> progress) {
    this.agent = agent;
    this.agentJar = agentJar;
    this.cleanup = cleanup;
    this.progress = progress;
    this.sample = new SampleService(cleanup.tempDir("hotpatch-demo"));
  }

  /** A hot fix as the demo measured it. */
  private record HotFix(
      PatchResult result,
      long applyNanos,
      long firstFixedNanos,
      LoadStats duringApply,
      String answer) {}

  /** The restart fallback as the demo measured it. */
  private record Restart(
      long pid, long timeToPatchedNanos, long failed, String answer, List<String> methods) {}

  DemoFigures run() {
    buildVersions();
    startUnderLoad();
    SampleService.Patch fix = diff(v1, v2, "1-hot-fix.jar");
    HotFix hot = applyHotFix(fix);
    HotFix attached = applyByAttach(fix);
    SampleService.Patch schema = diff(v2, v3, "2-schema-change.jar");
    PatchResult refused = tryLive(schema);
    LoadStats beforeRestart = load.stats();
    long firstPid = target.pid();
    Restart restart = restartWithStartupAgent(beforeRestart.failed());
    load.stop();
    step("Summary");
    return new DemoFigures(
        "OK",
        System.getProperty("java.version"),
        buggy,
        hot.answer(),
        restart.answer(),
        hot.result().getState().name(),
        millis(hot.applyNanos()),
        millis(hot.firstFixedNanos()),
        hot.result().getPhases(),
        millis(attached.applyNanos()),
        beforeRestart.failed(),
        beforeRestart.requests(),
        fromMicros(steady.p99Micros()),
        fromMicros(hot.duringApply().p99Micros()),
        refused.getState().name(),
        schema.diff().reasons(),
        millis(restart.timeToPatchedNanos()),
        millis(restart.timeToPatchedNanos()),
        restart.failed(),
        restart.methods(),
        List.of(firstPid, restart.pid()),
        Math.round((System.nanoTime() - startNanos) / 100_000_000.0) / 10.0);
  }

  private void buildVersions() {
    step(
        "Build the sample checkout service v1 (buggy), v2 (hot fix), v3 (schema change) with javac");
    v1 = sample.jar(SampleVersion.V1_BUGGY);
    v2 = sample.jar(SampleVersion.V2_HOT_FIX);
    v3 = sample.jar(SampleVersion.V3_SCHEMA_CHANGE);
    detail("built " + v1.getFileName() + ", " + v2.getFileName() + ", " + v3.getFileName());
  }

  private void startUnderLoad() {
    step(
        "Start v1 on Java "
            + Runtime.version().feature()
            + " under steady load ("
            + LOAD_THREADS
            + " threads), agent"
            + " loaded at start as the operator injects it: -javaagent:hotpatch-agent.jar=bundles=<dir>&socket=<dir>");
    target = cleanup.add(sample.start(v1, 0, residentAgent()));
    load = cleanup.add(LoadGenerator.start(target.uri(PRICE), LOAD_THREADS));
    long from = System.nanoTime();
    load.awaitRequests(500);
    steady = load.statsBetween(from, System.nanoTime());
    buggy = target.get(PRICE);
    detail(
        "pid "
            + target.pid()
            + ", port "
            + target.port()
            + ", started in "
            + target.startupTime().toMillis()
            + " ms");
    detail("GET " + PRICE + " -> \"" + buggy + "\"   (bug: VAT truncated, should be 23.79)");
    detail("steady state: " + steady);
    expect(SampleVersion.V1_BUGGY, buggy);
  }

  private SampleService.Patch diff(Path from, Path to, String bundleName) {
    step("hotpatch diff " + from.getFileName() + " " + to.getFileName() + " --out " + bundleName);
    SampleService.Patch patch = sample.bundle(from, to, bundleName);
    for (ClassDiff c : patch.diff().classes()) {
      detail(
          c.change()
              + " "
              + c.name()
              + ": "
              + (c.hotApplicable() ? "hot-applicable" : "NOT hot-applicable"));
      c.reasons().forEach(reason -> detail("    - " + reason));
    }
    detail("sha256 " + patch.sha256());
    detail(
        "verdict: " + (patch.diff().isHotApplicable() ? "hot-applicable" : "NOT hot-applicable"));
    return patch;
  }

  /**
   * The agent flag the operator's webhook injects: startup bundles, and the socket the sidecar
   * patches through.
   */
  private String residentAgent() {
    return "-javaagent:"
        + agentJar
        + "=bundles="
        + sample.bundles()
        + "&socket="
        + sample.bundles().resolveSibling("run");
  }

  private HotFix applyHotFix(SampleService.Patch fix) {
    step(
        "hotpatch apply --pid "
            + target.pid()
            + " "
            + fix.bundle().getFileName()
            + "   (live, under load, through the resident agent's socket)");
    long from = System.nanoTime();
    PatchResult applied = agent.apply(target.pid(), fix.bundle(), fix.sha256(), false);
    long to = System.nanoTime();
    ResultReport.of(target.pid(), applied, millis(to - from)).lines().forEach(this::detail);
    if (applied.getState() != ResultState.APPLIED) {
      throw CliException.failure(
          "the hot fix came back "
              + applied.getState()
              + " ("
              + applied.getMessage()
              + "): rebuild the agent with 'mvn -q -B package -pl agent -am -DskipTests' and run the demo again");
    }
    load.awaitRequests(500);
    String fixed = target.get(PRICE);
    long firstFixed = load.firstAnswer(SampleVersion.V2_HOT_FIX.expectedQuote(), from) - from;
    LoadStats during = load.statsBetween(from, to);
    LoadStats sofar = load.stats();
    detail("GET " + PRICE + " -> \"" + fixed + "\"   (was \"" + buggy + "\")");
    detail(
        "patch latency "
            + millis(to - from)
            + " ms; first fixed answer "
            + millis(firstFixed)
            + " ms after the apply started");
    detail(
        "requests so far: "
            + sofar.requests()
            + ", failed: "
            + sofar.failed()
            + "; p99 during the apply "
            + fromMicros(during.p99Micros())
            + " ms (steady "
            + fromMicros(steady.p99Micros())
            + " ms)");
    expect(SampleVersion.V2_HOT_FIX, fixed);
    firstHot = to - from;
    return new HotFix(applied, to - from, firstFixed, during, fixed);
  }

  /**
   * The same fix into a second v1 JVM started without the agent: the attach path, for comparison.
   */
  private HotFix applyByAttach(SampleService.Patch fix) {
    step(
        "For comparison: the same fix into a second v1 JVM started without the agent (attach), under load");
    try (TargetJvm plain = sample.start(v1, 0);
        LoadGenerator plainLoad = LoadGenerator.start(plain.uri(PRICE), LOAD_THREADS)) {
      plainLoad.awaitRequests(500);
      long from = System.nanoTime();
      PatchResult applied = agent.apply(plain.pid(), fix.bundle(), fix.sha256(), false);
      long to = System.nanoTime();
      ResultReport.of(plain.pid(), applied, millis(to - from)).lines().forEach(this::detail);
      String fixed = plain.get(PRICE);
      expect(SampleVersion.V2_HOT_FIX, fixed);
      detail(
          "pid "
              + plain.pid()
              + ": GET "
              + PRICE
              + " -> \""
              + fixed
              + "\"; the attach and the agent's first run"
              + " cost "
              + millis(to - from)
              + " ms here, the resident agent's socket "
              + millis(firstHot)
              + " ms");
      return new HotFix(applied, to - from, 0, plainLoad.statsBetween(from, to), fixed);
    }
  }

  private PatchResult tryLive(SampleService.Patch schema) {
    step(
        "hotpatch apply --pid " + target.pid() + " " + schema.bundle().getFileName() + "   (live)");
    long from = System.nanoTime();
    PatchResult refused = agent.apply(target.pid(), schema.bundle(), schema.sha256(), false);
    ResultReport.of(target.pid(), refused, millis(System.nanoTime() - from))
        .lines()
        .forEach(this::detail);
    if (refused.getState() != ResultState.NOT_HOT_APPLICABLE) {
      throw CliException.failure(
          "the schema change came back "
              + refused.getState()
              + " instead of NOT_HOT_APPLICABLE ("
              + refused.getMessage()
              + "): rebuild the agent and run the demo again");
    }
    detail(
        "still serving \""
            + target.get(PRICE)
            + "\"; the fallback is a restart with the startup agent");
    load.awaitRequests(200);
    return refused;
  }

  private Restart restartWithStartupAgent(long failedBefore) {
    step(
        "Fallback: restart from "
            + v1.getFileName()
            + " with -javaagent:hotpatch-agent.jar=bundles=<both bundles, in order>");
    int port = target.port();
    long stopAt = System.nanoTime();
    cleanup.closeNow(target);
    target =
        cleanup.add(
            sample.start(v1, port, "-javaagent:" + agentJar + "=bundles=" + sample.bundles()));
    long firstPatched =
        SampleService.awaitAnswer(load, SampleVersion.V3_SCHEMA_CHANGE.expectedQuote(), stopAt);
    load.awaitRequests(200);
    String answer = target.get(PRICE);
    long failed = load.stats().failed() - failedBefore;
    AgentStatus status = agent.status(target.pid());
    detail(
        "new pid "
            + target.pid()
            + " on the same port "
            + port
            + "; first v3 answer "
            + millis(firstPatched - stopAt)
            + " ms after the stop");
    detail("GET " + PRICE + " -> \"" + answer + "\"");
    detail("failed requests during the restart: " + failed);
    for (AppliedPatch patch : status.getPatches()) {
      detail(
          "hotpatch status: "
              + patch.getId().substring(0, 12)
              + " "
              + patch.getMethod().displayName()
              + " "
              + patch.getState()
              + " "
              + String.join(",", patch.getClassNames()));
    }
    expect(SampleVersion.V3_SCHEMA_CHANGE, answer);
    List<String> methods =
        status.getPatches().stream().map(p -> p.getMethod().displayName()).toList();
    return new Restart(target.pid(), firstPatched - stopAt, failed, answer, methods);
  }

  private static void expect(SampleVersion version, String answer) {
    if (!version.expectedQuote().equals(answer)) {
      throw CliException.failure(
          "expected the "
              + version
              + " answer \""
              + version.expectedQuote()
              + "\" but got \""
              + answer
              + "\": rebuild with 'mvn -q -B package -DskipTests' and run the demo again");
    }
  }

  private void step(String title) {
    progress.accept("");
    progress.accept("[" + ++step + "/" + STEPS + "] " + title);
  }

  private void detail(String line) {
    progress.accept("      " + line);
  }
}
