package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The channel's retry waits, at their longest (the jitter picks the top of each step): an operator
 * that answers with a Retry-After is asked again after it whatever happened before, an unreachable
 * one within 10 s, and a refusing or timed-out one backs off to a minute.
 */
class ChannelRetryTest {
  private static final ChannelException UNREACHED =
      new ChannelException("GET desired failed (connection refused)");
  private static final ChannelException REFUSED =
      new ChannelException(401, "bad token", "GET desired answered HTTP 401: bad token");
  private static final ChannelException BUSY =
      new ChannelException(
          503, "busy", "GET desired answered HTTP 503: busy", Duration.ofSeconds(1));

  private static final ChannelException TIMED_OUT =
      ChannelException.timedOut(
          "HttpConnectTimeoutException", "GET desired failed (HTTP connect timed out)");

  private final ChannelRetry longest = new ChannelRetry(step -> step);

  @Test
  void aTimedOutTryBacksOffToAMinuteAsARefusalDoes() {
    Duration timedOut = Duration.ZERO;
    for (int i = 0; i < 10; i++) {
      timedOut = longest.after(TIMED_OUT);
    }

    // An operator too busy to answer in time is asked again ever more rarely, not within 10 s.
    assertThat(timedOut).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void aRetryAfterAfterAnOutageIsHonouredNotTheGrownBackoff() {
    for (int i = 0; i < 6; i++) {
      longest.after(UNREACHED);
    }

    // The restarted operator is up but busy: back in 1 to 2 s, not after the outage's step.
    assertThat(longest.after(BUSY)).isEqualTo(Duration.ofSeconds(2));
    // And it counts as an answer: the next outage starts from the first step.
    assertThat(longest.after(UNREACHED)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aRetryAfterIsSpreadOverOnceToTwiceItself() {
    ChannelRetry shortest = new ChannelRetry(step -> step / 2);

    assertThat(shortest.after(BUSY)).isEqualTo(Duration.ofSeconds(1));
    assertThat(longest.after(BUSY)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void anUnreachableOperatorIsRetriedWithinTenSecondsARefusingOneWithinAMinute() {
    Duration unreached = Duration.ZERO;
    Duration refused = Duration.ZERO;
    for (int i = 0; i < 10; i++) {
      unreached = longest.after(UNREACHED);
    }
    ChannelRetry other = new ChannelRetry(step -> step);
    for (int i = 0; i < 10; i++) {
      refused = other.after(REFUSED);
    }

    assertThat(unreached).isEqualTo(Duration.ofSeconds(10));
    assertThat(refused).isEqualTo(Duration.ofSeconds(60));
  }
}
