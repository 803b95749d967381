package io.hotpatch.sidecar.daemon;

import java.time.Duration;

/**
 * A failed channel request: the HTTP status (0 when none came back), the reason (the server's
 * one-line error, or the transport problem), a message saying which request failed, and how long
 * the server asked us to wait before the next try (its Retry-After, zero when it said nothing).
 * Without an answer, whether the request timed out: the operator may then be up but overloaded.
 */
final class ChannelException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;
  private final Duration retryAfter;
  private final boolean timedOut;

  private ChannelException(
      int status, String reason, String message, Duration retryAfter, boolean timedOut) {
    super(message);
    this.status = status;
    this.reason = reason;
    this.retryAfter = retryAfter;
    this.timedOut = timedOut;
  }

  ChannelException(int status, String reason, String message, Duration retryAfter) {
    this(status, reason, message, retryAfter, false);
  }

  ChannelException(int status, String reason, String message) {
    this(status, reason, message, Duration.ZERO);
  }

  /** A failure without a server answer; the message is also the reason. */
  ChannelException(String message) {
    this(0, message, message);
  }

  /** A request that got no answer in time: connecting, the TLS handshake or the response. */
  static ChannelException timedOut(String reason, String message) {
    return new ChannelException(0, reason, message, Duration.ZERO, true);
  }

  int status() {
    return status;
  }

  Duration retryAfter() {
    return retryAfter;
  }

  boolean timedOut() {
    return timedOut;
  }

  /** The same for every request refused for the same cause, so it can be logged once. */
  String kind() {
    return status + " " + reason;
  }
}
