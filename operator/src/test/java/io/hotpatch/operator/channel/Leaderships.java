package io.hotpatch.operator.channel;

/** Channel leadership for tests that build the reconciler by hand. */
public final class Leaderships {
  private Leaderships() {}

  /** A replica without leader election: it leads, and its channel is open. */
  public static ChannelLeadership unelected() {
    return new ChannelLeadership(false);
  }
}
