package io.hotpatch.sidecar.daemon;

import java.time.Duration;

/** Doubling waits between retries, capped, back to the first wait after a success. */
final class Backoff {
  private final long firstMillis;
  private final long maxMillis;
  private long nextMillis;

  Backoff(Duration first, Duration max) {
    this.firstMillis = first.toMillis();
    this.maxMillis = max.toMillis();
    this.nextMillis = firstMillis;
  }

  /** The wait before the next retry; each call doubles the one after it, up to the cap. */
  Duration next() {
    long wait = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return Duration.ofMillis(wait);
  }

  void reset() {
    nextMillis = firstMillis;
  }
}
