package io.hotpatch.bench;

import java.util.stream.Stream;

/**
 * The operator sized for a fleet as the README tells users to size it: connections for every pod
 * plus 200, and above 5,000 of them 64 MiB more memory limit per 1,000; the heap bound is 65 % of
 * the limit, as the image's {@code MaxRAMPercentage} makes it.
 *
 * @param memoryLimitMiB the container's memory limit the operator would run under
 * @param maxConnections the chart's {@code connections.max}
 * @param reviewQueuePerSource TokenReviews one address may queue: every simulated sidecar comes
 *     from this process's one address, where a cluster's pods each have their own, so the fleet's
 *     size
 */
record OperatorSizing(int memoryLimitMiB, int maxConnections, int reviewQueuePerSource) {
  static final int CHART_LIMIT_MIB = 512;
  static final int CHART_CONNECTIONS = 5000;
  static final int MIB_PER_THOUSAND_MORE = 64;

  /** The chart's defaults, for fleets of up to 4,800 pods. */
  static final OperatorSizing CHART_DEFAULT = forPods(0);

  static OperatorSizing forPods(int pods) {
    int connections = Math.max(CHART_CONNECTIONS, pods + 200);
    int thousandsMore = (connections - CHART_CONNECTIONS + 999) / 1000;
    return new OperatorSizing(
        CHART_LIMIT_MIB + MIB_PER_THOUSAND_MORE * thousandsMore, connections, Math.max(2000, pods));
  }

  /** The heap bound the image's JVM takes from the limit. */
  int maxHeapMiB() {
    return memoryLimitMiB * 65 / 100;
  }

  /** The operator's settings and JVM options for this size. */
  Stream<String> settings() {
    return Stream.of(
        "-Xmx" + maxHeapMiB() + "m",
        "quarkus.http.limits.max-connections=" + maxConnections,
        "hotpatch.channel.review-queue-per-source=" + reviewQueuePerSource);
  }
}
