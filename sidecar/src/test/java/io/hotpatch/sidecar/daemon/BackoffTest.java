package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Retry waits double up to the cap, start over after a success, and are spread so a fleet does not
 * retry in step.
 */
class BackoffTest {
  @Test
  void doublesUpToTheCapAndResets() {
    Backoff backoff =
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5), LongUnaryOperator.identity());

    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(5));
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aFleetThatFailedTogetherRetriesSpreadOverHalfTheStep() {
    Set<Duration> firstRetries = new HashSet<>();
    for (int sidecar = 0; sidecar < 1000; sidecar++) {
      firstRetries.add(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60)).next());
    }

    assertThat(firstRetries)
        .allSatisfy(
            wait -> assertThat(wait).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1)));
    assertThat(firstRetries).as("distinct first waits of 1,000 sidecars").hasSizeGreaterThan(300);
  }
}
