package io.hotpatch.core.channel;

/** The sidecar's verdict on the app while a patch is watched: absent until the first check. */
public enum HealthState {
  /** The last check passed: the app answers, the JVM runs, the patch is active. */
  PASSING,
  /** The declared check failed, fewer times in a row than its failure threshold. */
  FAILING,
  /** The check failed its threshold, the JVM exited, or the patch is no longer active. */
  FAILED
}
