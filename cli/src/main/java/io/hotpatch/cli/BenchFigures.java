package io.hotpatch.cli;

import java.util.Map;

/** What {@code hotpatch bench} measured; printed as a table, or as JSON with {@code --json}. */
record BenchFigures(
    String status,
    String service,
    String targetJavaVersion,
    String targetJavaHome,
    String attacherJavaVersion,
    int runs,
    HotPath resident,
    HotPath attach,
    long restartMedianMillis,
    Latency afterRestart,
    long restartFailedRequests,
    CliApplies cli,
    Pauses otherSafepointPauses,
    long attacherPeakRssKib,
    String attacherRssMethod) {

  /**
   * One way into the JVM (the resident agent's socket, or an attach), measured on its own JVM: time
   * to patched (first apply and median), latency steady and during the applies, failed requests,
   * the redefinition pauses and the agent's phases (median per phase), with restart / hot.
   */
  record HotPath(
      String way,
      double firstApplyMillis,
      double applyMedianMillis,
      double restartOverHot,
      Latency steady,
      Latency duringApply,
      long failedRequests,
      Pauses redefinePauseApply,
      Pauses redefinePauseRevert,
      Map<String, Double> firstApplyPhases,
      Map<String, Double> medianPhases) {}

  /**
   * {@code hotpatch apply} as a new process: while the load keeps the cores busy, and once the load
   * stopped (the service idle); the restart ratio is for the first.
   */
  record CliApplies(
      String command,
      int runs,
      long medianMillis,
      long minMillis,
      double restartOverCli,
      long idleMedianMillis,
      long idleMinMillis) {}

  /**
   * Request latency in one kind of window: p50, p99 and the slowest request, and how many requests
   * it holds.
   */
  record Latency(
      double p50Millis, double p99Millis, double maxMillis, long requests, String window) {}

  /** Safepoint pauses of one kind: how many, their median and longest total, in microseconds. */
  record Pauses(int count, long medianMicros, long maxMicros) {}
}
