package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.TestingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A flood of lines becomes a bounded number per window, and the next window says how many were left
 * out.
 */
class RateLimitedLogTest {
  private final TestingClock clock = new TestingClock(Instant.parse("2026-01-01T10:00:00Z"));
  private final List<String> written = new ArrayList<>();
  private final RateLimitedLog log =
      new RateLimitedLog(5, Duration.ofMinutes(1), clock, written::add);

  @Test
  void tenThousandLinesInAMinuteWriteFiveAndTheNextWindowCountsTheRest() {
    for (int i = 0; i < 10_000; i++) {
      log.log("refused " + i);
    }
    clock.advance(Duration.ofSeconds(60));
    log.log("refused later");

    assertThat(written)
        .containsExactly(
            "refused 0",
            "refused 1",
            "refused 2",
            "refused 3",
            "refused 4",
            "9995 more lines like these were not logged in the 60 s before (at most 5 per 60 s)",
            "refused later");
  }
}
