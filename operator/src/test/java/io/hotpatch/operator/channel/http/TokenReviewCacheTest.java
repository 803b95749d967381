package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Accepted tokens are remembered for the TTL, never past the token's own expiry. */
class TokenReviewCacheTest {
  private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
  private final TokenReviewCache cache = new TokenReviewCache(Duration.ofSeconds(30), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aTokenIsRememberedUntilTheTtl() {
    String token = jwt("{\"exp\":" + NOW.plusSeconds(600).getEpochSecond() + "}");
    cache.put("fp", new ReviewedToken("u", "ns", "pod", "uid", cache.validUntil(token)));

    assertThat(cache.validUntil(token)).isEqualTo(NOW.plusSeconds(30));
    assertThat(cache.get("fp")).isPresent();
    assertThat(cache.get("other")).isEmpty();
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

  private static String jwt(String claims) {
    Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
    return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
        + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".signature";
  }
}
