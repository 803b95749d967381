package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** A source spends at most its limit of refused reviews per window; accepted reviews cost nothing. */
class RefusedReviewBudgetTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T10:00:00Z"));
  private final RefusedReviewBudget budget = new RefusedReviewBudget(3, Duration.ofMinutes(1), clock);

  @Test
  void aSourceGetsItsLimitPerWindowAndNoMore() {
    long granted = IntStream.range(0, 2000).filter(i -> budget.tryAcquire("10.0.0.9")).count();

    assertThat(granted).isEqualTo(3);
    assertThat(budget.tryAcquire("10.0.0.10")).as("another source has its own budget").isTrue();
    clock.advance(Duration.ofSeconds(60));
    assertThat(budget.tryAcquire("10.0.0.9")).as("a new window").isTrue();
  }

  @Test
  void acceptedReviewsGiveTheirSlotBack() {
    for (int i = 0; i < 100; i++) {
      assertThat(budget.tryAcquire("10.0.0.9")).isTrue();
      budget.release("10.0.0.9");
    }
  }

  @Test
  void theRefusalNamesTheSourceTheLimitAndTheWait() {
    assertThat(budget.exhausted("10.0.0.9")).isEqualTo("too many refused tokens from 10.0.0.9 (3 TokenReviews"
        + " refused within 60 s, hotpatch.channel.refused-reviews-per-source): fix the sidecar's token and retry"
        + " after 60 s");
  }
}
