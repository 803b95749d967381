package io.hotpatch.cli;

/** What {@code hotpatch bench} measured; printed as a table, or as JSON with {@code --json}. */
record BenchFigures(
    String status,
    String javaVersion,
    int runs,
    long hotApplyMedianMillis,
    long restartMedianMillis,
    double restartOverHotRatio,
    double steadyP50Millis,
    double steadyP99Millis,
    double duringPatchP50Millis,
    double duringPatchP99Millis,
    double afterRestartP50Millis,
    double afterRestartP99Millis,
    long hotFailedRequests,
    long restartFailedRequests,
    long attacherPeakRssKib,
    String attacherRssMethod) {}
