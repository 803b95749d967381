package io.hotpatch.agent;

/**
 * The one place the agent writes to the application's output: in startup mode, one line on stderr,
 * prefixed {@code [hotpatch]}, for each startup bundle it skips and each class of a startup patch
 * it leaves unpatched, since no attacher is there to hear it. Never a stack trace; the same lines
 * are in the status warnings (and an agent that fails to start says so). Attach-time outcomes go
 * back to the attacher only.
 */
final class StartupNotice {
  private StartupNotice() {}

  static void print(String warning) {
    System.err.println("[hotpatch] " + warning);
  }
}
