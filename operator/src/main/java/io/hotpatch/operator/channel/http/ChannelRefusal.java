package io.hotpatch.operator.channel.http;

/**
 * A channel request answered with an error: the status, a one-line cause and fix, and who asked; a
 * 503 asks the sidecar to come back after {@link #RETRY_AFTER_SECONDS}.
 */
final class ChannelRefusal extends RuntimeException {
  static final int UNAVAILABLE = 503;
  static final int RETRY_AFTER_SECONDS = 1;

  private final int status;
  private final Caller caller;

  ChannelRefusal(int status, String message, Caller caller) {
    super(message, null, false, false);
    this.status = status;
    this.caller = caller;
  }

  /**
   * The same refusal for another caller with the same token, who learns the identity the review
   * found.
   */
  ChannelRefusal replayedTo(Caller other) {
    return new ChannelRefusal(
        status, getMessage(), other.withIdentity(caller.username(), caller.podClaim()));
  }

  int status() {
    return status;
  }

  Caller caller() {
    return caller;
  }
}
