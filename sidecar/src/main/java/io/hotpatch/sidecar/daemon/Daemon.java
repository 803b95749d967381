package io.hotpatch.sidecar.daemon;

import com.fasterxml.jackson.jr.ob.JSON;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.sidecar.JvmProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The sidecar's loop on one thread: holds a long poll for the desired state while watching the app
 * JVM every {@link #WATCH} (a restarted container means a new JVM to converge), stages the startup
 * bundles, converges the JVM, and reports. Every failure is retried with a backoff (a channel
 * failure as {@link ChannelRetry} says) and logged once per change. A failed request changes
 * nothing: the desired state and staged bundles stay as the last answer left them, and once the
 * channel answers again the last report is sent again, since the replica that took it may be gone.
 */
final class Daemon {
  static final Duration WATCH = Duration.ofSeconds(2);

  /** A deadline that never comes (nanoTime values can be anything, so no arithmetic on it). */
  private static final long NEVER = Long.MIN_VALUE;

  private static final Duration REPORT_RETRY = Duration.ofSeconds(5);

  private final SidecarConfig config;
  private final Channel channel;
  private final TargetLocator locator;
  private final BundleStore store;
  private final Converger converger;
  private final StartupNote startupNote;
  private final HealthWatch health;
  private final Log log;
  private final long watchMillis;

  private final ChannelRetry channelRetry = new ChannelRetry();
  private final Backoff stageBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
  private final Backoff locateBackoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
  private final Backoff convergeBackoff =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  private CompletableFuture<DesiredState> poll;
  private long pollAt;
  private String revision;
  private volatile boolean answered;
  private DesiredState desired;
  private BundleStore.Staged staged;
  private boolean stageNeeded;
  private long stageAt = NEVER;
  private ProcessHandle target;
  private Instant targetStart;
  private long locateAt;
  private boolean convergeNeeded;
  private long convergeAt = NEVER;

  /**
   * The last converge pass's report, which health verdicts mark; after the JVM ended, its last
   * word.
   */
  private PodReport passReport;

  private PodReport pendingReport;
  private PodReport sentReport;
  private byte[] lastSentReport;
  private boolean resendReport;
  private long reportAt;

  /**
   * After a channel failure the operator that answers may have restarted or taken over, and not yet
   * know that this pod's JVM runs a patch: until it has had this pod's report, its answers stage
   * new bundles but remove none they do not name, so the JVM's next start still gets them.
   */
  private boolean keepUnlisted;

  private boolean reportedSinceFailure;
  private String lastChannelProblem = "";
  private String lastTargetProblem = "";
  private String lastStageProblems = "";

  Daemon(SidecarConfig config, Channel channel, Agent agent, TargetLocator locator, Log log) {
    this(
        config,
        channel,
        agent,
        locator,
        log,
        new LoopbackGet(LoopbackGet.DEFAULT_HOST, LoopbackGet::send),
        WATCH);
  }

  /** {@code watch}: how often it looks at the app JVM while the poll is held. */
  Daemon(
      SidecarConfig config,
      Channel channel,
      Agent agent,
      TargetLocator locator,
      Log log,
      LoopbackGet get,
      Duration watch) {
    this.config = config;
    this.channel = channel;
    this.locator = locator;
    this.store = new BundleStore(config.bundleDir());
    this.converger = new Converger(agent, log::info);
    this.startupNote = new StartupNote(config);
    this.health = new HealthWatch(agent, get);
    this.log = log;
    this.watchMillis = watch.toMillis();
    this.pollAt = System.nanoTime();
    this.locateAt = pollAt;
  }

  void run() throws InterruptedException {
    while (!Thread.currentThread().isInterrupted()) {
      step();
    }
    throw new InterruptedException();
  }

  /** Whether the operator has answered a poll of this daemon yet. */
  boolean answered() {
    return answered;
  }

  /** One turn: wait for the poll (at most the watch interval), then do whatever is due. */
  void step() throws InterruptedException {
    long now = System.nanoTime();
    if (poll == null && due(pollAt, now)) {
      // After a failure, ask without a revision: answered at once, it tells that the channel works
      // again.
      poll = channel.desired(resendReport ? null : revision, config.pollWaitSeconds());
    }
    awaitPoll();
    now = System.nanoTime();
    if (desired != null && (stageNeeded || due(stageAt, now))) {
      stage();
    }
    watchTarget(System.nanoTime());
    if (desired != null
        && staged != null
        && target != null
        && (convergeNeeded || due(convergeAt, System.nanoTime()))) {
      converge();
    }
    if (target != null
        && passReport != null
        && health.millisUntilDue(System.nanoTime(), 1) == 0
        && health.check(System.nanoTime())) {
      queueReport(health.mark(passReport));
    }
    if (pendingReport != null && due(reportAt, System.nanoTime())) {
      sendReport();
    }
  }

  private void awaitPoll() throws InterruptedException {
    // A health check due sooner than the next look at the JVM shortens the wait.
    long wait = Math.max(1, health.millisUntilDue(System.nanoTime(), watchMillis));
    if (poll == null) {
      Thread.sleep(wait);
      return;
    }
    DesiredState answer;
    try {
      answer = poll.get(wait, TimeUnit.MILLISECONDS);
    } catch (TimeoutException stillHeld) {
      return;
    } catch (ExecutionException e) {
      poll = null;
      // The operator may have restarted and lost this pod's report: ask for the desired state
      // afresh, which makes the next answer converge and report again, whatever its revision.
      revision = null;
      channelFailed(e.getCause());
      pollAt = System.nanoTime() + channelRetry.after(e.getCause()).toNanos();
      resendReport = true;
      return;
    }
    poll = null;
    channelWorks();
    answered = true;
    if (resendReport) {
      resendReport = false;
      if (pendingReport == null && sentReport != null) {
        queueReport(sentReport);
      }
      lastSentReport = null;
      keepUnlisted = true;
      reportedSinceFailure = pendingReport == null;
      if (pendingReport != null && namesLess(answer, pendingReport)) {
        // Before this answer is converged on: an operator that took over learns from the report
        // what the JVM runs of the patches it does not name for this pod yet.
        sendReport();
      }
    } else if (keepUnlisted && reportedSinceFailure) {
      keepUnlisted = false;
      stageNeeded = true; // what the operator still does not name, having heard this pod, goes
    }
    if (revision == null || !revision.equals(answer.getRevision())) {
      revision = answer.getRevision();
      desired = answer;
      stageNeeded = true;
      convergeNeeded = true;
      lastSentReport = null;
      log.info("desired revision " + revision + ": " + describe(answer));
    }
  }

  /** Whether the answer leaves out a patch the report has an outcome for. */
  private static boolean namesLess(DesiredState answer, PodReport report) {
    Set<String> named = new HashSet<>();
    answer.getPatches().forEach(order -> named.add(order.getPatch()));
    return report.getOutcomes().stream().anyMatch(outcome -> !named.contains(outcome.getPatch()));
  }

  private void stage() {
    stageNeeded = false;
    try {
      staged = store.sync(desired, channel::bundle, keepUnlisted);
    } catch (IOException e) {
      log.warn(
          "cannot write the startup bundles into "
              + store.dir()
              + " ("
              + e
              + "): give the"
              + " sidecar write access to HOTPATCH_DIR");
      stageAt = System.nanoTime() + stageBackoff.next().toNanos();
      return;
    }
    convergeNeeded = true;
    String problems = String.join("; ", staged.problems().values());
    if (!problems.equals(lastStageProblems)) {
      staged.problems().values().forEach(log::warn);
      lastStageProblems = problems;
    }
    if (staged.retry()) {
      stageAt = System.nanoTime() + stageBackoff.next().toNanos();
      return;
    }
    stageBackoff.reset();
    stageAt = NEVER;
    markReady();
  }

  private void markReady() {
    if (!Files.exists(config.readyMarker())) {
      try {
        Files.writeString(config.readyMarker(), revision + "\n");
        log.info(
            "startup bundles staged in "
                + store.dir()
                + ": "
                + staged.files().size()
                + " bundle(s); ready");
      } catch (IOException e) {
        log.warn(
            "cannot write "
                + config.readyMarker()
                + " ("
                + e
                + "): give the sidecar write"
                + " access to HOTPATCH_DIR");
      }
    }
  }

  private void watchTarget(long now) {
    if (target != null) {
      // A handle from ProcessHandle.of keeps the process's start time and isAlive compares it, so
      // a reused pid is not alive: one read of /proc/<pid>/stat, not the four of info().
      if (target.isAlive()) {
        return;
      }
      log.info("target JVM pid " + target.pid() + " ended: waiting for the next one");
      health.clear();
      if (passReport != null) {
        passReport = HealthWatch.jvmEnded(passReport, target.pid());
        queueReport(passReport);
      }
      target = null;
      locateAt = now;
      locateBackoff.reset();
    }
    if (!due(locateAt, now)) {
      return;
    }
    TargetLocator.Lookup lookup = locator.locate();
    JvmProcess jvm = lookup.jvm();
    Optional<ProcessHandle> handle = jvm == null ? Optional.empty() : ProcessHandle.of(jvm.pid());
    Optional<Instant> start = handle.flatMap(h -> h.info().startInstant());
    if (start.isPresent()) {
      target = handle.get();
      targetStart = start.get();
      lastTargetProblem = "";
      convergeNeeded = true;
      convergeBackoff.reset();
      log.info(
          "target JVM pid "
              + jvm.pid()
              + " ("
              + jvm.mainClass()
              + ", Java "
              + jvm.javaVersion()
              + ")");
      return;
    }
    locateAt = now + locateBackoff.next().toNanos();
    String problem = jvm == null ? lookup.problem() : "JVM pid " + jvm.pid() + " ended";
    if (!problem.equals(lastTargetProblem)) {
      lastTargetProblem = problem;
      log.info(problem);
      // Still carries the outcomes of a JVM that ended, so that the operator hears it ended.
      PodReport report = passReport != null ? passReport : new PodReport();
      report.setMessage(problem);
      queueReport(report);
    }
  }

  private void converge() {
    convergeNeeded = false;
    Converger.Pass pass = converger.converge(target.pid(), desired, staged);
    if (pass.retry()) {
      convergeAt = System.nanoTime() + convergeBackoff.next().toNanos();
    } else {
      convergeBackoff.reset();
      convergeAt = NEVER;
    }
    String problem = pass.report().getMessage();
    if (!problem.equals(lastTargetProblem)) {
      lastTargetProblem = problem;
      if (!problem.isEmpty()) {
        log.warn(problem);
      }
    }
    passReport = startupNote.annotate(pass.report(), targetStart);
    queueReport(health.track(target.pid(), desired, passReport, System.nanoTime()));
  }

  private void queueReport(PodReport report) {
    pendingReport = report;
    reportAt = System.nanoTime();
  }

  private void sendReport() {
    byte[] json;
    try {
      json = JSON.std.asBytes(pendingReport);
    } catch (IOException e) {
      throw new IllegalStateException("a PodReport must always serialize", e);
    }
    if (Arrays.equals(json, lastSentReport)) {
      pendingReport = null;
      return;
    }
    try {
      // Taken as had, a report that tells nothing spares every such sidecar's connect and
      // reconnect a request.
      if (!tellsNothing(pendingReport)) {
        channel.report(pendingReport);
        channelWorks();
        log.debug("reported " + new String(json, StandardCharsets.UTF_8));
      }
      lastSentReport = json;
      sentReport = pendingReport;
      pendingReport = null;
      reportedSinceFailure = true;
    } catch (ChannelException e) {
      channelFailed(e);
      // A replica that does not lead says when to come back (soon): the next try may reach the
      // leader.
      Duration wait = e.retryAfter().isZero() ? REPORT_RETRY : e.retryAfter();
      reportAt = System.nanoTime() + wait.toNanos();
    }
  }

  /** A report with neither an outcome nor a message: a pod with no patch, its JVM found. */
  private static boolean tellsNothing(PodReport report) {
    return report.getOutcomes().isEmpty()
        && (report.getMessage() == null || report.getMessage().isEmpty());
  }

  /** Logs a channel failure once per cause (a 401 with the server's reason, say). */
  private void channelFailed(Throwable failure) {
    String cause =
        failure instanceof ChannelException channelFailure
            ? channelFailure.kind()
            : failure.toString();
    if (!cause.equals(lastChannelProblem)) {
      lastChannelProblem = cause;
      log.warn(
          failure instanceof ChannelException
              ? failure.getMessage()
              : "channel request failed (" + failure + ")");
    }
  }

  private void channelWorks() {
    channelRetry.reset();
    if (!lastChannelProblem.isEmpty()) {
      lastChannelProblem = "";
      log.info("channel works again");
    }
  }

  private static boolean due(long at, long now) {
    return at != NEVER && now - at >= 0;
  }

  private static String describe(DesiredState state) {
    Map<PatchOrder.Action, Long> counts = new EnumMap<>(PatchOrder.Action.class);
    state.getPatches().forEach(order -> counts.merge(order.getAction(), 1L, Long::sum));
    return state.getPatches().isEmpty()
        ? "no patches"
        : counts.entrySet().stream()
            .map(count -> count.getKey() + "=" + count.getValue())
            .collect(Collectors.joining(", "));
  }
}
