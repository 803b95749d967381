package io.hotpatch.operator.channel;

import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import java.time.Instant;

/**
 * What a sidecar reported for one patch in its pod.
 *
 * @param sha256 the bundle the report is about
 * @param method how the patch reached the JVM, null when it did not
 * @param jvmStartedAt when the reporting JVM started, by the node's clock: a report from a JVM that
 *     started before the container's current start is about a JVM that is gone
 */
public record PodReport(
    String sha256, ResultState state, PatchMethod method, String message, Instant jvmStartedAt) {}
