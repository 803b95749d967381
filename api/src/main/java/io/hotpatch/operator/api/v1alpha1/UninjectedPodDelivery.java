package io.hotpatch.operator.api.v1alpha1;

/** How a target pod without the injected sidecar gets the patch. */
public enum UninjectedPodDelivery {
  /**
   * Add the ephemeral container {@code hotpatch} once; it stays as the pod's daemon. No restart.
   */
  EphemeralContainer,
  /**
   * Roll the owning workload, so that the new pods start with the sidecar (the webhook injects it).
   */
  RestartWorkload,
  /** Leave such pods alone; status says they were skipped. */
  Skip
}
