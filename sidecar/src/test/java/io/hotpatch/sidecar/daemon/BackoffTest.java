package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Retry waits double up to the cap and start over after a success. */
class BackoffTest {
  @Test
  void doublesUpToTheCapAndResets() {
    Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));

    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(4));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(5));
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(5));
    backoff.reset();
    assertThat(backoff.next()).isEqualTo(Duration.ofSeconds(1));
  }
}
