package io.hotpatch.cli;

import java.util.List;
import java.util.Map;

/**
 * What the demo measured and observed; printed as the final table, or as JSON with {@code --json}.
 */
record DemoFigures(
    String status,
    String javaVersion,
    String buggyResponse,
    String hotFixedResponse,
    String restartedResponse,
    String hotApplyState,
    long hotApplyMillis,
    long hotFirstFixedAnswerMillis,
    Map<String, Double> hotPhases,
    long attachApplyMillis,
    long hotFailedRequests,
    long hotRequests,
    double steadyP99Millis,
    double hotP99DuringApplyMillis,
    String schemaChangeState,
    List<String> schemaChangeReasons,
    long restartTimeToPatchedMillis,
    long restartDowntimeMillis,
    long restartFailedRequests,
    List<String> startupPatchMethods,
    List<Long> targetPids,
    double totalSeconds) {}
