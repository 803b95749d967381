package io.hotpatch.operator.channel.http;

/**
 * A channel request answered with an error: the status, a one-line cause and fix, and who asked; a
 * 503 asks the sidecar to come back after {@link #RETRY_AFTER_SECONDS}, on a new connection only
 * when this replica does not serve the channel.
 */
final class ChannelRefusal extends RuntimeException {
  static final int UNAVAILABLE = 503;
  static final int RETRY_AFTER_SECONDS = 1;

  private final int status;
  private final Caller caller;
  private final boolean rebalance;

  ChannelRefusal(int status, String message, Caller caller) {
    this(status, message, caller, false);
  }

  private ChannelRefusal(int status, String message, Caller caller, boolean rebalance) {
    super(message, null, false, false);
    this.status = status;
    this.caller = caller;
    this.rebalance = rebalance;
  }

  /**
   * A 503 from a replica that does not serve the channel (not the leader, not ready): the retry
   * must open a new connection, which a Service may balance to the replica that does.
   */
  static ChannelRefusal notServing(String message, Caller caller) {
    return new ChannelRefusal(UNAVAILABLE, message, caller, true);
  }

  /**
   * The same refusal for another caller with the same token, who learns the identity the review
   * found.
   */
  ChannelRefusal replayedTo(Caller other) {
    return new ChannelRefusal(
        status, getMessage(), other.withIdentity(caller.username(), caller.podClaim()), rebalance);
  }

  int status() {
    return status;
  }

  /**
   * Whether the answer closes the connection. A busy leader keeps it: the sidecar's retry comes
   * back to it anyway, and a new connection would cost both sides a TLS handshake per retry.
   */
  boolean closesConnection() {
    return rebalance;
  }

  Caller caller() {
    return caller;
  }
}
