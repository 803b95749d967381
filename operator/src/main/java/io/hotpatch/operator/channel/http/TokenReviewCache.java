package io.hotpatch.operator.channel.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotpatch.core.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reviewed tokens by the full sha256 of the token (a shorter key would let a token that shares its
 * prefix pass as another pod), for longer than a long poll: a sidecar long-polls about every 30 s,
 * and a TokenReview per request would load the API server with one call per pod and poll. A cached
 * token acts only for the pod uid it was reviewed with, so a token of a pod since deleted or
 * replaced cannot act for the pod now running. Refused tokens are remembered too, more briefly, so
 * that a caller repeating a bad token (a sidecar with a stale one, or a probe) costs no API call
 * per request.
 */
final class TokenReviewCache {
  private static final int PURGE_ABOVE = 10_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A review's refusal, replayed to the next caller with the same token until {@code until}. */
  private record Refused(ChannelRefusal refusal, Instant until) {}

  private final Map<String, ReviewedToken> byKey = new ConcurrentHashMap<>();
  private final Map<String, Refused> refusedByKey = new ConcurrentHashMap<>();
  private final Duration ttl;
  private final Duration refusalTtl;
  private final Clock clock;

  TokenReviewCache(Duration ttl, Duration refusalTtl, Clock clock) {
    this.ttl = ttl;
    this.refusalTtl = refusalTtl;
    this.clock = clock;
  }

  /** The key of a token: all 64 hex digits of its sha256. */
  static String key(String token) {
    return Sha256.hex(token.getBytes(StandardCharsets.UTF_8));
  }

  Optional<ReviewedToken> get(String key) {
    ReviewedToken reviewed = byKey.get(key);
    if (reviewed == null || !clock.instant().isBefore(reviewed.validUntil())) {
      return Optional.empty();
    }
    return Optional.of(reviewed);
  }

  void put(String key, ReviewedToken reviewed) {
    if (byKey.size() > PURGE_ABOVE) {
      Instant now = clock.instant();
      byKey.values().removeIf(r -> !now.isBefore(r.validUntil()));
    }
    byKey.put(key, reviewed);
  }

  /** The refusal of this token's last review, for {@code caller}, while it is remembered. */
  Optional<ChannelRefusal> refusal(String key, Caller caller) {
    Refused refused = refusedByKey.get(key);
    if (refused == null || !clock.instant().isBefore(refused.until())) {
      return Optional.empty();
    }
    return Optional.of(refused.refusal().replayedTo(caller));
  }

  void refuse(String key, ChannelRefusal refusal) {
    Instant now = clock.instant();
    if (refusedByKey.size() > PURGE_ABOVE) {
      refusedByKey.values().removeIf(r -> !now.isBefore(r.until()));
    }
    refusedByKey.put(key, new Refused(refusal, now.plus(refusalTtl)));
  }

  /**
   * When a token accepted now must be reviewed again: after the TTL, or when it expires if sooner.
   */
  Instant validUntil(String token) {
    Instant byTtl = clock.instant().plus(ttl);
    return expiry(token).filter(byTtl::isAfter).orElse(byTtl);
  }

  /** The {@code exp} claim of a JWT (read, not verified: the TokenReview verified it). */
  static Optional<Instant> expiry(String token) {
    JsonNode exp = claims(token).get("exp");
    return exp != null && exp.canConvertToLong()
        ? Optional.of(Instant.ofEpochSecond(exp.asLong()))
        : Optional.empty();
  }

  /**
   * Whether the token is a JWT whose {@code aud} does not name {@code audience}, read without
   * trusting it: it only picks which TokenReview to ask (the API server's audiences, for an
   * ephemeral container's pod token, or ours for anything else); the review decides.
   */
  static boolean jwtForAnotherAudience(String token, String audience) {
    JsonNode aud = claims(token).path("aud");
    if (aud.isTextual()) {
      return !aud.asText().equals(audience);
    }
    if (!aud.isArray() || aud.isEmpty()) {
      return false;
    }
    for (JsonNode each : aud) {
      if (audience.equals(each.asText())) {
        return false;
      }
    }
    return true;
  }

  /** The JWT's payload, unverified; an empty object for anything that is not one. */
  private static JsonNode claims(String token) {
    String[] parts = token.split("\\.");
    if (parts.length == 3) {
      try {
        JsonNode claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        if (claims != null && claims.isObject()) {
          return claims;
        }
      } catch (IOException | IllegalArgumentException notJson) {
        // not a JWT
      }
    }
    return JSON.createObjectNode();
  }
}
