package io.hotpatch.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pod of examples/checkout.yaml, admitted through the built operator's real webhook, played in
 * podman with the real sample and sidecar images; the sidecar in it proves its identity with the
 * token the stand-in API issued, receives examples/hotpatch.yaml's bundle from the operator
 * process, and patches the app's JVM in the other container under load from outside the pod.
 */
@ExtendWith(PodTier.class)
class InjectedPod {
  @TempDir Path dir;

  @Test
  void sidecarPatchesTheAppUnderLoadAndTheHotPatchGoesReady() throws Exception {
    try (StandInCluster cluster = StandInCluster.start(dir)) {
      StandInCluster.explained(
          () -> {
            int port = PodTier.freePort();
            Pod admitted = cluster.admit(cluster.templatePod(port));
            assertThat(admitted.getSpec().getInitContainers())
                .extracting("name")
                .containsExactly("hotpatch-init");
            assertThat(admitted.getSpec().getContainers())
                .extracting("name")
                .containsExactly("app", "hotpatch-sidecar");
            Pod stored = cluster.create(admitted);
            URI price = URI.create("http://127.0.0.1:" + port + SampleVersion.PRICE_PATH);
            try (PlayedPod pod =
                cluster.play(stored, cluster.token(stored), price, SampleVersion.V1_BUGGY)) {
              StandInCluster.explained(
                  () -> {
                    LoadStats stats =
                        cluster.patchUnderLoad(
                            price,
                            hotPatch -> {},
                            () -> PodTier.assertRunning(pod.container("hotpatch-sidecar")));
                    System.out.printf(
                        "hotpatch pods: injected pod %s patched in podman under load: %s%n",
                        pod.name(), stats);
                    // The sidecar logs the apply, and neither it nor the app's JVM says anything a
                    // user would have to look into: no JVM warning (an agent loaded, JEP 451).
                    assertThat(pod.logs())
                        .contains(": APPLIED (")
                        .doesNotContain("WARNING:")
                        .doesNotContain(" WARN ");
                  },
                  () -> "the pod's containers:\n" + pod.logs());
            }
          },
          cluster::diagnostics);
    }
  }
}
