package io.hotpatch.sidecar;

import io.hotpatch.sidecar.AttachFailure.Reason;
import java.time.Duration;

/**
 * How long the agent may take to answer one request, by socket or by attach: a redefinition of
 * thousands of classes takes seconds, a JVM stuck in a safepoint or a GC spiral forever, and the
 * sidecar must go on serving its pod.
 */
final class ReplyDeadline {
  static final Duration DEFAULT = Duration.ofMinutes(2);

  private ReplyDeadline() {}

  /**
   * The failure of a request whose answer did not come within {@code timeout}: {@code what} names
   * who stayed silent ("target 42 did not answer the attach").
   */
  static AttachFailure missed(String what, long pid, Duration timeout) {
    return new AttachFailure(
        Reason.AGENT_REPLY_MISSING,
        what
            + " within "
            + describe(timeout)
            + ", so whether the request took effect is unknown: check that the JVM is not stuck"
            + " (jcmd "
            + pid
            + " Thread.print), then read its state with 'hotpatch status'");
  }

  /** "120 s", or "300 ms" below whole seconds, for messages. */
  private static String describe(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
