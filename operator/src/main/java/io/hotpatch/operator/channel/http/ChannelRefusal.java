package io.hotpatch.operator.channel.http;

/** A channel request answered with an error: the status, a one-line cause and fix, and who asked. */
final class ChannelRefusal extends RuntimeException {
  private final int status;
  private final Caller caller;

  ChannelRefusal(int status, String message, Caller caller) {
    super(message, null, false, false);
    this.status = status;
    this.caller = caller;
  }

  int status() {
    return status;
  }

  Caller caller() {
    return caller;
  }
}
