package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.sample.SampleVersion;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A patch a live JVM refuses (v3 adds a field and a method) rolls the Deployment; every new JVM
 * starts patched.
 */
class SchemaChangeE2E extends E2EBase {
  private static final String PATCH = "round-half-up";

  @Test
  void schemaChangeRollsTheDeploymentAndEveryNewPodStartsPatched() {
    SampleService sample = deploySample(3);
    PatchBundle bundle = publishBundle(SampleVersion.V3_SCHEMA_CHANGE, PATCH + "-bundle");
    List<String> before = sample.podNames();
    long deploymentGeneration = sample.deploymentResource().get().getMetadata().getGeneration();

    apply(manifest(PATCH, bundle));
    HotPatchStatus status = awaitReady(PATCH, before.size());
    sample.awaitRolledOut();

    List<String> after = sample.podNames();
    assertThat(after)
        .as("pods after the rollout")
        .hasSameSizeAs(before)
        .doesNotContainAnyElementsOf(before);
    assertThat(sample.deploymentResource().get().getMetadata().getGeneration())
        .as("Deployment generation")
        .isGreaterThan(deploymentGeneration);
    assertThat(status.getPods())
        .extracting(PodPatchStatus::getName)
        .containsExactlyInAnyOrderElementsOf(after);
    assertEveryPodApplied(status, "Startup");
    assertThat(after)
        .allSatisfy(
            pod ->
                assertThat(sample.quote(pod))
                    .as("answer of %s", pod)
                    .isEqualTo(SampleVersion.V3_SCHEMA_CHANGE.expectedQuote()));
  }
}
