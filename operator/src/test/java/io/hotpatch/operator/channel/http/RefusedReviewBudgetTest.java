package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A source spends at most its limit of refused reviews per window; reviews under way wait for a
 * slot instead of being refused, so good tokens from one address are never told their token is bad.
 */
class RefusedReviewBudgetTest {
  private static final Caller CALLER = new Caller("10.0.0.9:4000", "abc", null, null);
  private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T10:00:00Z"));
  private final RefusedReviewBudget budget =
      new RefusedReviewBudget(3, Duration.ofMinutes(1), 1000, Duration.ofSeconds(30), clock);

  @Test
  void aSourceGetsItsLimitOfRefusalsPerWindowAndNoMore() {
    List<CompletableFuture<Void>> turns =
        IntStream.range(0, 500).mapToObj(i -> budget.admit("10.0.0.9", CALLER)).toList();
    for (int i = 0; i < 3; i++) {
      assertThat(turns.get(i)).isCompleted();
      budget.refuse("10.0.0.9");
    }

    assertThat(turns.subList(3, turns.size()))
        .allSatisfy(turn -> assertThat(status(turn)).isEqualTo(429));
    assertThat(status(budget.admit("10.0.0.9", CALLER))).isEqualTo(429);
    assertThat(budget.admit("10.0.0.10", CALLER))
        .as("another source has its own budget")
        .isCompleted();
    clock.advance(Duration.ofSeconds(60));
    assertThat(budget.admit("10.0.0.9", CALLER)).as("a new window").isCompleted();
  }

  @Test
  void goodTokensFromOneSourceWaitTheirTurnAndAreNeverRefused() {
    List<CompletableFuture<Void>> turns =
        IntStream.range(0, 1000).mapToObj(i -> budget.admit("10.0.0.9", CALLER)).toList();
    assertThat(turns.stream().filter(CompletableFuture::isDone))
        .as("at most the limit under way")
        .hasSize(3);

    for (int i = 0; i < 1000; i++) {
      assertThat(turns.get(i)).as("review %d", i).isCompleted();
      budget.release("10.0.0.9");
    }
  }

  @Test
  void aFullQueueAnswersBusyNotBadToken() {
    RefusedReviewBudget small =
        new RefusedReviewBudget(3, Duration.ofMinutes(1), 2, Duration.ofSeconds(30), clock);
    IntStream.range(0, 5).forEach(i -> small.admit("10.0.0.9", CALLER));

    CompletableFuture<Void> overflow = small.admit("10.0.0.9", CALLER);

    assertThat(status(overflow)).isEqualTo(503);
    assertThat(message(overflow))
        .startsWith("busy: TokenReviews from 10.0.0.9 are queued (at most 2 waiting");
  }

  @Test
  void aWaiterGivesUpBusyAfterTheLongestWait() {
    RefusedReviewBudget quick =
        new RefusedReviewBudget(1, Duration.ofMinutes(1), 10, Duration.ofMillis(100), clock);
    quick.admit("10.0.0.9", CALLER);
    CompletableFuture<Void> waiting = quick.admit("10.0.0.9", CALLER);

    Awaitility.await().atMost(10, TimeUnit.SECONDS).until(waiting::isDone);
    assertThat(status(waiting)).isEqualTo(503);
  }

  @Test
  void theRefusalNamesTheSourceTheLimitAndTheWait() {
    assertThat(budget.exhausted("10.0.0.9", CALLER).getMessage())
        .isEqualTo(
            "too many refused tokens from 10.0.0.9"
                + " (3 TokenReviews refused within 60 s, hotpatch.channel.refused-reviews-per-source): fix the sidecar's"
                + " token and retry after 60 s");
  }

  private static int status(CompletableFuture<Void> turn) {
    return ((ChannelRefusal) failure(turn)).status();
  }

  private static String message(CompletableFuture<Void> turn) {
    return failure(turn).getMessage();
  }

  private static Throwable failure(CompletableFuture<Void> turn) {
    assertThat(turn).isCompletedExceptionally();
    try {
      turn.join();
      throw new AssertionError("completed normally");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
