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
 * Reviewed tokens by fingerprint, for a short time: a sidecar long-polls about every 30 s, and a
 * TokenReview per request would load the API server with one call per pod and poll. Refused
 * tokens are remembered too, more briefly, so that a caller repeating a bad token (a sidecar with
 * a stale one, or a probe) costs no API call per request.
 */
final class TokenReviewCache {
  private static final int PURGE_ABOVE = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A review's refusal, replayed to the next caller with the same token until {@code until}. */
  private record Refused(int status, String message, String username, String podClaim, Instant until) {}

  private final Map<String, ReviewedToken> byFingerprint = new ConcurrentHashMap<>();
  private final Map<String, Refused> refusedByFingerprint = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Duration refusalTtl;
  private final Clock clock;

  TokenReviewCache(Duration ttl, Duration refusalTtl, Clock clock) {
    this.ttl = ttl;
    this.refusalTtl = refusalTtl;
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

  /** The refusal of this token's last review, for {@code caller}, while it is remembered. */
  Optional<ChannelRefusal> refusal(String fingerprint, Caller caller) {
    Refused refused = refusedByFingerprint.get(fingerprint);
    if (refused == null || !clock.instant().isBefore(refused.until())) {
      return Optional.empty();
    }
    return Optional.of(new ChannelRefusal(refused.status(), refused.message(),
        caller.withIdentity(refused.username(), refused.podClaim())));
  }

  void refuse(String fingerprint, ChannelRefusal refusal) {
    Instant now = clock.instant();
    if (refusedByFingerprint.size() > PURGE_ABOVE) {
      refusedByFingerprint.values().removeIf(r -> !now.isBefore(r.until()));
    }
    refusedByFingerprint.put(fingerprint, new Refused(refusal.status(), refusal.getMessage(),
        refusal.caller().username(), refusal.caller().podClaim(), now.plus(refusalTtl)));
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
