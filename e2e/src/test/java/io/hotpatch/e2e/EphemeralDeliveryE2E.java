package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Pods the webhook never injected (they ran before their namespace opted in) get a hot patch
 * through the ephemeral container the operator adds once per pod: no restart, no failed request,
 * and a second HotPatch adds no second container.
 */
class EphemeralDeliveryE2E extends E2EBase {
  private static final String PATCH = "fix-price-rounding";
  private static final String AGAIN = "fix-price-rounding-again";

  @Test
  void uninjectedPodsArePatchedLiveThroughOneEphemeralContainerEach() {
    SampleService sample = deployUninjectedSample(2);
    PatchBundle bundle = publishBundle(SampleVersion.V2_HOT_FIX, PATCH + "-bundle");
    List<String> pods = sample.podNames();
    Map<String, LoadStats> stats;
    try (PodLoad load = PodLoad.start(client(), namespace(), pods)) {
      load.awaitRequests(50);
      apply(manifest(PATCH, bundle).maxParallel("100%").uninjectedPods("EphemeralContainer"));
      HotPatchStatus status = awaitReady(PATCH, pods.size());
      load.awaitRequests(50);
      stats = load.stop();

      assertEveryPodApplied(status, "Hot");
      assertThat(status.getPods())
          .allSatisfy(
              pod ->
                  assertThat(pod.getDelivery())
                      .as("delivery of %s", pod.getName())
                      .isEqualTo("Ephemeral"));
    }
    stats.forEach(
        (pod, figures) ->
            assertThat(figures.failed())
                .as("failed requests to %s (%s; first: %s)", pod, figures, figures.firstFailure())
                .isZero());

    apply(manifest(AGAIN, bundle).maxParallel("100%").uninjectedPods("EphemeralContainer"));
    awaitReady(AGAIN, pods.size());

    assertThat(sample.podNames()).as("pods after the hot patch: none restarted").isEqualTo(pods);
    for (Pod pod : sample.pods()) {
      List<EphemeralContainer> added = pod.getSpec().getEphemeralContainers();
      assertThat(added)
          .as("ephemeral containers of %s", pod.getMetadata().getName())
          .singleElement()
          .satisfies(
              container -> {
                assertThat(container.getName()).isEqualTo("hotpatch");
                assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
              });
      assertThat(sample.appRestarts(pod)).isZero();
      assertThat(sample.quote(pod.getMetadata().getName()))
          .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
    }
  }
}
