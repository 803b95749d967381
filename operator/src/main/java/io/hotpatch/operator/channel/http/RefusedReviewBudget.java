package io.hotpatch.operator.channel.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many TokenReviews each source address may spend on tokens the API server refuses: at most
 * {@code limit} per {@code window}, so that any number of bad tokens from one address costs the API
 * server a bounded number of reviews. A review counts while it runs and stays counted when refused;
 * an accepted one gives its slot back, so sidecars with good tokens never run out.
 */
final class RefusedReviewBudget {
  private static final int PURGE_ABOVE = 10_000;

  /** Slots a source used in the window that began at {@code start}. */
  private record Window(Instant start, int used) {}

  private final Map<String, Window> bySource = new ConcurrentHashMap<>();
  private final int limit;
  private final Duration window;
  private final Clock clock;

  RefusedReviewBudget(int limit, Duration window, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.clock = clock;
  }

  /** Takes a slot for a review from {@code source}; false when its budget for this window is spent. */
  boolean tryAcquire(String source) {
    Instant now = clock.instant();
    if (bySource.size() > PURGE_ABOVE) {
      bySource.values().removeIf(w -> !now.isBefore(w.start().plus(window)));
    }
    boolean[] acquired = new boolean[1];
    bySource.compute(source, (s, current) -> {
      Window open = current == null || !now.isBefore(current.start().plus(window)) ? new Window(now, 0) : current;
      acquired[0] = open.used() < limit;
      return acquired[0] ? new Window(open.start(), open.used() + 1) : open;
    });
    return acquired[0];
  }

  /** Gives back the slot of a review the API server accepted. */
  void release(String source) {
    bySource.computeIfPresent(source, (s, w) -> new Window(w.start(), Math.max(0, w.used() - 1)));
  }

  /** The one-line refusal for a source whose budget is spent. */
  String exhausted(String source) {
    return "too many refused tokens from " + source + " (" + limit + " TokenReviews refused within "
        + window.toSeconds() + " s, hotpatch.channel.refused-reviews-per-source): fix the sidecar's token and"
        + " retry after " + window.toSeconds() + " s";
  }
}
