package io.hotpatch.operator.channel;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.HealthState;
import java.time.Instant;

/**
 * What a sidecar reported for one patch in its pod.
 *
 * @param sha256 the bundle the report is about
 * @param method how the patch reached the JVM, null when it did not
 * @param jvmStartedAt when the reporting JVM started, by the node's clock: a report from a JVM that
 *     started before the container's current start is about a JVM that is gone
 * @param health the sidecar's view of the app while the patch is watched, null when not watched
 * @param healthMessage what the last check saw, naming the check
 */
public record PodReport(
    String sha256,
    ResultState state,
    PatchMethod method,
    String message,
    Instant jvmStartedAt,
    HealthState health,
    String healthMessage) {

  /** A report without a health verdict. */
  public PodReport(
      String sha256, ResultState state, PatchMethod method, String message, Instant jvmStartedAt) {
    this(sha256, state, method, message, jvmStartedAt, null, "");
  }
}
