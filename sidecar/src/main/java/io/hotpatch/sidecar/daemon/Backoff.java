package io.hotpatch.sidecar.daemon;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;

/**
 * Doubling waits between retries, capped, back to the first wait after a success. Each wait is
 * drawn between half and all of its step, so that sidecars that failed together (an operator
 * restart drops every long poll at once) do not all come back in the same instant.
 */
final class Backoff {
  private final long firstMillis;
  private final long maxMillis;

  /** Picks a wait in [step/2, step] for a step: random, or fixed in tests. */
  private final LongUnaryOperator jitter;

  private long nextMillis;

  /** A random wait in [step/2, step]. */
  static final LongUnaryOperator RANDOM_JITTER =
      step -> step / 2 + ThreadLocalRandom.current().nextLong(step / 2 + 1);

  Backoff(Duration first, Duration max) {
    this(first, max, RANDOM_JITTER);
  }

  Backoff(Duration first, Duration max, LongUnaryOperator jitter) {
    this.firstMillis = first.toMillis();
    this.maxMillis = max.toMillis();
    this.jitter = jitter;
    this.nextMillis = firstMillis;
  }

  /**
   * The wait before the next retry; each call doubles the step of the one after it, up to the cap.
   */
  Duration next() {
    long step = nextMillis;
    nextMillis = Math.min(maxMillis, nextMillis * 2);
    return Duration.ofMillis(jitter.applyAsLong(step));
  }

  void reset() {
    nextMillis = firstMillis;
  }
}
