package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.OperatorOnMockApi;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Leader election is configured, and switched on for the prod profile (tests run without it). */
@OperatorOnMockApi
class LeaderElectionIT {
  @Inject LeaderElectionConfiguration leaderElection;

  @ConfigProperty(name = "quarkus.operator-sdk.activate-leader-election-for-profiles")
  String profiles;

  @Test
  void leaderElectionUsesTheOperatorLeaseInProd() {
    assertThat(leaderElection.getLeaseName()).isEqualTo(LeaderElection.LEASE_NAME);
    assertThat(profiles).isEqualTo("prod");
  }
}
