package io.hotpatch.operator.reconciler;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import io.quarkus.arc.Unremovable;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * Leader election through a Lease in the operator's namespace, so that only one replica
 * reconciles; active in the prod profile (quarkus.operator-sdk.activate-leader-election-for-profiles).
 */
@Singleton
public class LeaderElection {
  public static final String LEASE_NAME = "hotpatch-operator-leader";

  @Produces
  @Singleton
  @Unremovable
  LeaderElectionConfiguration leaderElection() {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration(LEASE_NAME).build();
  }
}
