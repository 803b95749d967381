package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A 503 closes the connection only from a replica that does not serve the channel: a busy leader's
 * retry comes back to it, and a new connection per retry would cost a TLS handshake each time a
 * reconnecting fleet is told to wait.
 */
class BusyKeepsConnectionTest {
  private static final Caller CALLER = new Caller("10.0.0.1:4711", "abc", null, null);

  @Test
  void aBusyLeaderKeepsTheConnectionAReplicaThatDoesNotServeClosesIt() {
    ChannelRefusal busy =
        new RefusedReviewBudget(
                10, Duration.ofMinutes(1), 0, Duration.ofSeconds(10), Clock.systemUTC())
            .busy("10.0.0.1", CALLER);
    ChannelRefusal notLeader = ChannelRefusal.notServing("this replica is not the leader", CALLER);

    assertThat(busy.status()).isEqualTo(503);
    assertThat(busy.closesConnection()).isFalse();
    assertThat(busy.replayedTo(CALLER).closesConnection()).isFalse();
    assertThat(notLeader.closesConnection()).isTrue();
    assertThat(notLeader.replayedTo(CALLER).closesConnection()).isTrue();
  }
}
