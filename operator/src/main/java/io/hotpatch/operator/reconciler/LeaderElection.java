package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.hotpatch.operator.channel.ChannelLeadership;
import io.hotpatch.operator.config.OperatorSettings;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.Quarkus;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election through a Lease in the operator's namespace, so that only one replica reconciles
 * (and serves the sidecar channel); active in the prod profile
 * (quarkus.operator-sdk.activate-leader-election-for-profiles), timed by
 * hotpatch.operator.leader-election.*.
 */
@Singleton
public class LeaderElection {
  public static final String LEASE_NAME = "hotpatch-operator-leader";

  @Produces
  @Singleton
  @Unremovable
  LeaderElectionConfiguration leaderElection(
      OperatorSettings settings, ChannelLeadership leadership) {
    OperatorSettings.LeaderElection timing = settings.operator().leaderElection();
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE_NAME)
        .withLeaseDuration(timing.leaseDuration())
        .withRenewDeadline(timing.renewDeadline())
        .withRetryPeriod(timing.retryPeriod())
        .withLeaderCallbacks(
            new LeaderCallbacks(
                leadership::startedLeading, () -> stoppedLeading(leadership), leader -> {}))
        .build();
  }

  /**
   * A replica that lost the Lease (renewals too slow) never leads again in this process: JOSDK does
   * not restart its election. It exits so that Kubernetes restarts it as a follower, rather than
   * staying a replica that can never take over. During a shutdown already under way this is a
   * no-op.
   */
  private static void stoppedLeading(ChannelLeadership leadership) {
    leadership.stoppedLeading();
    Quarkus.asyncExit(1);
  }
}
