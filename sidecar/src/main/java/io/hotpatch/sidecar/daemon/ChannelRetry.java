package io.hotpatch.sidecar.daemon;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * How long a sidecar waits before it asks the channel again after a failed request, by what the
 * failure says about the operator. An answer with a Retry-After (busy, not the leader yet) comes
 * back after it, stretched by up to as much again so that the sidecars turned away together come
 * back spread. No answer at all (the operator restarts, its port is closed) retries within {@link
 * #MAX_UNREACHED}: such a try costs the operator nothing, and the fleet must be back soon after it
 * is. Any other answer (a refused token, say) backs off up to {@link #MAX_REFUSED}: each try costs
 * the operator a TLS handshake and a look at the token. So does a try that timed out, and it says
 * the operator may be up but overloaded: thousands of sidecars retrying it within seconds would
 * keep it so (each given-up handshake done for nothing), so it backs off as a refusal does.
 */
final class ChannelRetry {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX_UNREACHED = Duration.ofSeconds(10);
  static final Duration MAX_REFUSED = Duration.ofSeconds(60);

  private final Backoff unreached;
  private final Backoff refused;

  /** Picks a wait in [step/2, step] for a step: random, or fixed in tests. */
  private final LongUnaryOperator jitter;

  ChannelRetry() {
    this(Backoff.RANDOM_JITTER);
  }

  ChannelRetry(LongUnaryOperator jitter) {
    this.jitter = jitter;
    this.unreached = new Backoff(FIRST, MAX_UNREACHED, jitter);
    this.refused = new Backoff(FIRST, MAX_REFUSED, jitter);
  }

  /** The wait before the next request after {@code failure}. */
  Duration after(Throwable failure) {
    if (!(failure instanceof ChannelException answered)
        || answered.status() == 0 && !answered.timedOut()) {
      return unreached.next();
    }
    if (answered.retryAfter().isZero()) {
      return refused.next();
    }
    // The server is up and pacing us: its word replaces our step, which would otherwise have grown
    // past it while the operator was away.
    reset();
    return Duration.ofMillis(jitter.applyAsLong(2 * answered.retryAfter().toMillis()));
  }

  /** The channel answered: the next failure starts from the first wait again. */
  void reset() {
    unreached.reset();
    refused.reset();
  }
}
