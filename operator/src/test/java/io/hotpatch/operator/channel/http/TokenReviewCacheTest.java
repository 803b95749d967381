package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.Sha256;
import io.hotpatch.operator.TestingClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Accepted tokens are remembered for the TTL, never past the token's own expiry; refusals more
 * briefly.
 */
class TokenReviewCacheTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private final TokenReviewCache cache =
      new TokenReviewCache(
          Duration.ofSeconds(30), Duration.ofSeconds(10), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenIsRememberedUntilTheTtl() {
    String token = jwt("{\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}");
    cache.put("fp", new ReviewedToken("u", "ns", "pod", "uid", cache.validUntil(token)));

    assertThat(cache.validUntil(token)).isEqualTo(NOW.plusSeconds(30));
    assertThat(cache.get("fp")).isPresent();
    assertThat(cache.get("other")).isEmpty();
  }

  @Test
  void theKeyIsTheWholeDigestSoATokenSharingItsPrefixIsNotServedAsAnother() {
    String key = TokenReviewCache.key("token-of-pod-a");
    cache.put(key, new ReviewedToken("u", "ns", "pod-a", "uid", NOW.plusSeconds(30)));
    String samePrefix = key.substring(0, 12) + "0".repeat(52);

    assertThat(key)
        .isEqualTo(Sha256.hex("token-of-pod-a".getBytes(StandardCharsets.UTF_8)))
        .hasSize(64);
    assertThat(cache.get(key)).isPresent();
    assertThat(cache.get(samePrefix)).isEmpty();
  }

  @Test
  void aTokenThatExpiresSoonerIsRememberedOnlyUntilItsExpiry() {
    assertThat(cache.validUntil(jwt("{\"exp\":" + NOW.plusSeconds(5).getEpochSecond() + "}")))
        .isEqualTo(NOW.plusSeconds(5));
  }

  @Test
  void anExpiredEntryIsNotServed() {
    cache.put("fp", new ReviewedToken("u", "ns", "pod", "uid", NOW));

    assertThat(cache.get("fp")).isEmpty();
  }

  @Test
  void aTokenThatIsNoJwtGetsTheTtl() {
    assertThat(cache.validUntil("opaque-token")).isEqualTo(NOW.plusSeconds(30));
    assertThat(cache.validUntil("a.not-base64!.c")).isEqualTo(NOW.plusSeconds(30));
  }

  @Test
  void aRefusalIsReplayedToTheNextCallerWithTheSameTokenUntilItsTtl() {
    Caller first = new Caller("10.0.0.1:4000", "fp", null, null);
    cache.refuse(
        "fp",
        new ChannelRefusal(
            403, "the token's pod ns/pod does not exist", first.withIdentity("u", "ns/pod")));

    Caller next = new Caller("10.0.0.2:5000", "fp", null, null);
    assertThat(cache.refusal("fp", next))
        .hasValueSatisfying(
            refusal -> {
              assertThat(refusal.status()).isEqualTo(403);
              assertThat(refusal.getMessage()).isEqualTo("the token's pod ns/pod does not exist");
              assertThat(refusal.caller())
                  .isEqualTo(new Caller("10.0.0.2:5000", "fp", "u", "ns/pod"));
            });
    assertThat(cache.refusal("other", next)).isEmpty();
  }

  @Test
  void aRefusalIsForgottenAfterItsTtl() {
    TestingClock clock = new TestingClock(NOW);
    TokenReviewCache ticking =
        new TokenReviewCache(Duration.ofSeconds(30), Duration.ofSeconds(10), clock);
    Caller caller = new Caller("10.0.0.1:4000", "fp", null, null);
    ticking.refuse("fp", new ChannelRefusal(401, "TokenReview rejected the token", caller));

    clock.advance(Duration.ofSeconds(9));
    assertThat(ticking.refusal("fp", caller)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(ticking.refusal("fp", caller)).isEmpty();
  }

  private static String jwt(String claims) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8))
        + "."
        + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8))
        + ".signature";
  }
}
