package io.hotpatch.operator.channel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accepted tokens by fingerprint, for a short time: a sidecar long-polls about every 30 s, and a
 * TokenReview per request would load the API server with one call per pod and poll.
 */
final class TokenReviewCache {
  private static final int PURGE_ABOVE = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, ReviewedToken> byFingerprint = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Clock clock;

  TokenReviewCache(Duration ttl, Clock clock) {
    this.ttl = ttl;
    this.clock = clock;
  }

  Optional<ReviewedToken> get(String fingerprint) {
    ReviewedToken reviewed = byFingerprint.get(fingerprint);
    if (reviewed == null || !clock.instant().isBefore(reviewed.validUntil())) {
      return Optional.empty();
    }
    return Optional.of(reviewed);
  }

  void put(String fingerprint, ReviewedToken reviewed) {
    if (byFingerprint.size() > PURGE_ABOVE) {
      Instant now = clock.instant();
      byFingerprint.values().removeIf(r -> !now.isBefore(r.validUntil()));
    }
    byFingerprint.put(fingerprint, reviewed);
  }

  /** When a token accepted now must be reviewed again: after the TTL, or when it expires if sooner. */
  Instant validUntil(String token) {
    Instant byTtl = clock.instant().plus(ttl);
    return expiry(token).filter(byTtl::isAfter).orElse(byTtl);
  }

  /** The {@code exp} claim of a JWT (read, not verified: the TokenReview verified it). */
  static Optional<Instant> expiry(String token) {
    String[] parts = token.split("\\.");
    if (parts.length != 3) {
      return Optional.empty();
    }
    try {
      JsonNode exp = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).get("exp");
      return exp != null && exp.canConvertToLong() ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
          : Optional.empty();
    } catch (IOException | IllegalArgumentException notJson) {
      return Optional.empty();
    }
  }
}
