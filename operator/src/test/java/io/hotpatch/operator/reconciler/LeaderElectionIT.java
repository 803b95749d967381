package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Leader election is configured, and switched on for the prod profile (tests run without it). */
@QuarkusTest
@WithTestResource(
    value = KubernetesServerTestResource.class,
    scope = TestResourceScope.MATCHING_RESOURCES)
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
