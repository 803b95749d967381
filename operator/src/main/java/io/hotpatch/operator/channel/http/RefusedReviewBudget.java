package io.hotpatch.operator.channel.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How many TokenReviews each source address may spend on tokens the API server refuses: at most
 * {@code limit} refused per {@code window}, so that any number of bad tokens from one address costs
 * the API server a bounded number of reviews. Reviews under way are counted apart from refusals: a
 * source may have at most as many under way as it has refusals left, and a review beyond that waits
 * its turn (up to {@code maxWaiting} of them, each at most {@code maxWait}) instead of being
 * refused, so a thousand good sidecars behind one address (SNAT, the fleet bench) are reviewed one
 * after another. Only real refusals spend the budget; a full queue or a long wait is "busy", not
 * "bad".
 */
final class RefusedReviewBudget {
  private static final int PURGE_ABOVE = 10_000;

  /** One source's window of refusals, its reviews under way and the requests waiting for a slot. */
  private static final class Source {
    Instant windowStart;
    int refused;
    int inFlight;
    final Deque<Waiter> waiting = new ArrayDeque<>();

    Source(Instant now) {
      this.windowStart = now;
    }

    boolean idle() {
      return inFlight == 0 && waiting.isEmpty();
    }
  }

  /** A request waiting for a slot, and the caller its refusal would name. */
  private record Waiter(CompletableFuture<Void> turn, Caller caller) {}

  private final Map<String, Source> bySource = new HashMap<>();
  private final int limit;
  private final Duration window;
  private final int maxWaiting;
  private final Duration maxWait;
  private final Clock clock;

  RefusedReviewBudget(int limit, Duration window, int maxWaiting, Duration maxWait, Clock clock) {
    this.limit = limit;
    this.window = window;
    this.maxWaiting = maxWaiting;
    this.maxWait = maxWait;
    this.clock = clock;
  }

  /**
   * Completes when a review for {@code caller} may start; fails with a 429 {@link ChannelRefusal}
   * when the source's refusals are spent, or a 503 one when it has too many reviews waiting.
   */
  CompletableFuture<Void> admit(String source, Caller caller) {
    Waiter waiter = new Waiter(new CompletableFuture<>(), caller);
    synchronized (this) {
      Source state = current(source);
      if (state.refused >= limit) {
        return CompletableFuture.failedFuture(exhausted(source, caller));
      }
      if (state.waiting.isEmpty() && state.inFlight < limit - state.refused) {
        state.inFlight++;
        return CompletableFuture.completedFuture(null);
      }
      if (state.waiting.size() >= maxWaiting) {
        return CompletableFuture.failedFuture(busy(source, caller));
      }
      state.waiting.add(waiter);
    }
    CompletableFuture.delayedExecutor(maxWait.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> giveUp(source, waiter));
    return waiter.turn();
  }

  /**
   * A review from {@code source} ended without a verdict on the token (accepted, or the API server
   * failed).
   */
  void release(String source) {
    settle(source, false);
  }

  /**
   * A review from {@code source} ended with the token refused: it spends one of the window's
   * refusals.
   */
  void refuse(String source) {
    settle(source, true);
  }

  private void settle(String source, boolean refused) {
    List<Runnable> outcomes = new ArrayList<>();
    synchronized (this) {
      Source state = current(source);
      state.inFlight = Math.max(0, state.inFlight - 1);
      if (refused) {
        state.refused++;
      }
      wake(source, state, outcomes);
    }
    outcomes.forEach(Runnable::run);
  }

  /** Lets waiters in while slots are free; refuses them all once the refusals are spent. */
  private void wake(String source, Source state, List<Runnable> outcomes) {
    while (!state.waiting.isEmpty()) {
      if (state.refused >= limit) {
        Waiter waiter = state.waiting.poll();
        ChannelRefusal refusal = exhausted(source, waiter.caller());
        outcomes.add(() -> waiter.turn().completeExceptionally(refusal));
      } else if (state.inFlight < limit - state.refused) {
        Waiter waiter = state.waiting.poll();
        state.inFlight++;
        outcomes.add(() -> waiter.turn().complete(null));
      } else {
        return;
      }
    }
  }

  private void giveUp(String source, Waiter waiter) {
    boolean removed;
    synchronized (this) {
      Source state = bySource.get(source);
      removed = state != null && state.waiting.remove(waiter);
    }
    if (removed) {
      waiter.turn().completeExceptionally(busy(source, waiter.caller()));
    }
  }

  /** The source's state, its window started over when the last one ended; under the lock. */
  private Source current(String source) {
    Instant now = clock.instant();
    if (bySource.size() > PURGE_ABOVE) {
      bySource.values().removeIf(s -> s.idle() && !now.isBefore(s.windowStart.plus(window)));
    }
    Source state = bySource.computeIfAbsent(source, s -> new Source(now));
    if (!now.isBefore(state.windowStart.plus(window))) {
      state.windowStart = now;
      state.refused = 0;
    }
    return state;
  }

  /** The one-line refusal for a source whose budget is spent. */
  ChannelRefusal exhausted(String source, Caller caller) {
    return new ChannelRefusal(
        429,
        "too many refused tokens from "
            + source
            + " ("
            + limit
            + " TokenReviews refused within "
            + window.toSeconds()
            + " s, hotpatch.channel.refused-reviews-per-source):"
            + " fix the sidecar's token and retry after "
            + window.toSeconds()
            + " s",
        caller);
  }

  /**
   * The one-line answer for a source with more reviews waiting than the queue holds, or waiting too
   * long.
   */
  ChannelRefusal busy(String source, Caller caller) {
    return new ChannelRefusal(
        ChannelRefusal.UNAVAILABLE,
        "busy: TokenReviews from "
            + source
            + " are queued (at most "
            + maxWaiting
            + " waiting, each at most "
            + maxWait.toSeconds()
            + " s, hotpatch.channel.review-queue-per-source"
            + " and hotpatch.channel.review-queue-wait): retry after "
            + ChannelRefusal.RETRY_AFTER_SECONDS
            + " s",
        caller);
  }
}
