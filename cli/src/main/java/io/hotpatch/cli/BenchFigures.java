package io.hotpatch.cli;

/** What {@code hotpatch bench} measured; printed as a table, or as JSON with {@code --json}. */
record BenchFigures(
    String status,
    String targetJavaVersion,
    String targetJavaHome,
    String attacherJavaVersion,
    int runs,
    long hotApplyMedianMillis,
    long restartMedianMillis,
    double restartOverHotRatio,
    Latency steady,
    Latency duringApply,
    Latency afterRestart,
    long hotFailedRequests,
    long restartFailedRequests,
    Pauses redefinePauseApply,
    Pauses redefinePauseRevert,
    Pauses otherSafepointPauses,
    long attacherPeakRssKib,
    String attacherRssMethod) {

  /** Request latency in one kind of window: p50, p99 and the slowest request, and how many requests it holds. */
  record Latency(double p50Millis, double p99Millis, double maxMillis, long requests, String window) {}

  /** Safepoint pauses of one kind: how many, their median and longest total, in microseconds. */
  record Pauses(int count, long medianMicros, long maxMicros) {}
}
