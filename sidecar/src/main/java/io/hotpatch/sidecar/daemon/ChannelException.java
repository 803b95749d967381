package io.hotpatch.sidecar.daemon;

/**
 * A failed channel request: the HTTP status (0 when none came back), the reason (the server's
 * one-line error, or the transport problem) and a message saying which request failed.
 */
final class ChannelException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String reason;

  ChannelException(int status, String reason, String message) {
    super(message);
    this.status = status;
    this.reason = reason;
  }

  /** A failure without a server answer; the message is also the reason. */
  ChannelException(String message) {
    this(0, message, message);
  }

  int status() {
    return status;
  }

  /** The same for every request refused for the same cause, so it can be logged once. */
  String kind() {
    return status + " " + reason;
  }
}
