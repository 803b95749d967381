package io.hotpatch.sample;

import java.util.Set;

/** What a load run saw: request counts, latency percentiles and the distinct answers. */
public record LoadStats(
    long requests,
    long ok,
    long failed,
    long p50Micros,
    long p99Micros,
    long maxMicros,
    Set<String> distinctBodies,
    String firstFailure) {

  @Override
  public String toString() {
    return String.format(
        "%d requests, %d failed, p50 %.2f ms, p99 %.2f ms, max %.2f ms",
        requests, failed, p50Micros / 1000.0, p99Micros / 1000.0, maxMicros / 1000.0);
  }
}
