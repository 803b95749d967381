package io.hotpatch.sidecar;

import java.time.Duration;

/**
 * How long the agent may take to answer one request, by socket or by attach: a redefinition of
 * thousands of classes takes seconds, a JVM stuck in a safepoint or a GC spiral forever, and the
 * sidecar must go on serving its pod.
 */
final class ReplyDeadline {
  static final Duration DEFAULT = Duration.ofMinutes(2);

  private ReplyDeadline() {}

  /** "120 s", or "300 ms" below whole seconds, for messages. */
  static String describe(Duration timeout) {
    return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
  }
}
