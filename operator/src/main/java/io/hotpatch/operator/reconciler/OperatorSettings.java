package io.hotpatch.operator.reconciler;

import io.hotpatch.operator.api.v1alpha1.UninjectedPodDelivery;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Timing knobs of the reconciler (hotpatch.operator.*). */
@ConfigMapping(prefix = "hotpatch.operator")
public interface OperatorSettings {
  /** How soon to look again while a rollout is moving or blocked. */
  @WithDefault("5s")
  Duration pollInterval();

  /** How soon to look again once a rollout is complete (pod events trigger earlier runs). */
  @WithDefault("5m")
  Duration resyncInterval();

  /** How long deletion with onDelete Revert waits for pods to report the revert. */
  @WithDefault("5m")
  Duration revertTimeout();

  /**
   * What pods without the sidecar get when a HotPatch does not say (spec.delivery.uninjectedPods). Skip unless
   * set: the chart sets its value delivery.uninjectedPods (RestartWorkload).
   */
  @WithDefault("Skip")
  UninjectedPodDelivery uninjectedPods();

  /** The leader Lease's timing: a killed leader's replica takes over within about leaseDuration. */
  LeaderElection leaderElection();

  /** hotpatch.operator.leader-election.* (the defaults are JOSDK's). */
  interface LeaderElection {
    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
  }
}
