package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * One HotPatch through its life on a 3-replica sample service: hot patch under load, the same
 * manifest applied again, a scale-up, and deletion with onDelete Revert. Steps build on each other.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotPatchLifecycleE2E extends E2EBase {
  private static final String PATCH = "fix-price-rounding";
  private static final String FIXED = SampleVersion.V2_HOT_FIX.expectedQuote();
  private static SampleService sample;
  private static HotPatchManifest manifest;

  @BeforeAll
  static void deploy() {
    sample = deploySample(3);
    PatchBundle bundle = publishBundle(SampleVersion.V2_HOT_FIX, PATCH + "-bundle");
    manifest = manifest(PATCH, bundle).canary(1, 5).maxParallel("1").onDelete("Revert");
  }

  @Test
  @Order(1)
  void hotPatchUnderLoadFailsNoRequestAndRestartsNoPod() {
    List<String> pods = sample.podNames();
    Map<String, LoadStats> stats;
    try (PodLoad load = PodLoad.start(client(), namespace(), pods)) {
      load.awaitRequests(50);
      apply(manifest);
      HotPatchStatus status = awaitReady(PATCH, pods.size());
      load.awaitRequests(50);
      stats = load.stop();

      assertThat(status.getPods())
          .extracting(PodPatchStatus::getName)
          .containsExactlyInAnyOrderElementsOf(pods);
      assertEveryPodApplied(status, "Hot");
    }
    stats.forEach(
        (pod, figures) -> {
          assertThat(figures.failed())
              .as("failed requests to %s (%s; first: %s)", pod, figures, figures.firstFailure())
              .isZero();
          assertThat(figures.distinctBodies()).as("answers of %s under load", pod).contains(FIXED);
          assertThat(sample.quote(pod)).as("answer of %s after the patch", pod).isEqualTo(FIXED);
        });
    assertThat(sample.podNames()).as("pods after a hot patch").isEqualTo(pods);
    assertThat(sample.pods()).allSatisfy(pod -> assertThat(sample.appRestarts(pod)).isZero());
  }

  @Test
  @Order(2)
  void applyingTheSameManifestAgainChangesNothing() {
    long deploymentGeneration = sample.deploymentResource().get().getMetadata().getGeneration();
    List<String> podUids = podUids();
    long generation = generation(PATCH);
    HotPatchStatus status = status(PATCH);

    apply(manifest);

    // Nothing may move for a while: hold the check over a window longer than the operator's 5 s
    // poll.
    await("nothing changes after re-applying " + PATCH)
        .during(Duration.ofSeconds(20))
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> {
              assertThat(generation(PATCH)).as("HotPatch generation").isEqualTo(generation);
              assertThat(status(PATCH)).as("HotPatch status").isEqualTo(status);
              assertThat(sample.deploymentResource().get().getMetadata().getGeneration())
                  .as("Deployment generation")
                  .isEqualTo(deploymentGeneration);
              assertThat(podUids()).as("pods").isEqualTo(podUids);
            });
  }

  @Test
  @Order(3)
  void podsAddedAfterThePatchStartPatched() {
    List<String> before = sample.podNames();
    sample.scale(before.size() + 1);
    List<String> added = new ArrayList<>(sample.podNames());
    added.removeAll(before);
    assertThat(added).as("new pods").hasSize(1);
    String pod = added.get(0);

    HotPatchStatus status = awaitReady(PATCH, before.size() + 1);

    assertThat(HotPatches.pod(status, pod))
        .as("status entry of the new pod %s", pod)
        .hasValueSatisfying(
            entry -> {
              assertThat(entry.getState()).isEqualTo(ResultState.APPLIED);
              assertThat(entry.getMethod()).isEqualTo("Startup");
            });
    assertThat(sample.quote(pod)).as("answer of the new pod").isEqualTo(FIXED);
    assertThat(sample.podNames()).as("the older pods are untouched").containsAll(before);
  }

  @Test
  @Order(4)
  void deletingWithOnDeleteRevertRestoresTheOldAnswer() {
    HotPatches.resources(client(), namespace()).withName(PATCH).delete();

    await("HotPatch " + PATCH + " gone after its revert")
        .until(() -> HotPatches.get(client(), namespace(), PATCH) == null);
    await("every pod answers as before the patch")
        .untilAsserted(
            () ->
                assertThat(sample.podNames())
                    .allSatisfy(
                        pod ->
                            assertThat(sample.quote(pod))
                                .as("answer of %s", pod)
                                .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote())));
  }

  private static List<String> podUids() {
    return sample.pods().stream().map(Pod::getMetadata).map(m -> m.getUid()).toList();
  }
}
