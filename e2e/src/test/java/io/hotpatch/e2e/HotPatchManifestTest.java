package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.sample.SampleVersion;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The e2e manifests derive from examples/hotpatch.yaml; the statuses they read parse. Runs without
 * a cluster.
 */
class HotPatchManifestTest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  @TempDir static Path dir;
  private static PatchBundle bundle;

  @BeforeAll
  static void diff() {
    bundle = PatchBundle.diff(dir, SampleVersion.V1_BUGGY, SampleVersion.V2_HOT_FIX, "fix-bundle");
  }

  @Test
  void startsFromTheExampleAndChangesOnlyWhatTheScenarioSets() {
    GenericKubernetesResource resource =
        HotPatchManifest.fromExample(K3sCluster.repo(), "e2e-x", "fix", bundle)
            .canary(1, 5)
            .maxParallel("1")
            .onDelete("Revert")
            .resource();

    String yaml = SERIALIZATION.asYaml(resource);
    assertThat(resource.getApiVersion()).isEqualTo("hotpatch.io/v1alpha1");
    assertThat(resource.getMetadata().getNamespace()).isEqualTo("e2e-x");
    assertThat(yaml)
        .contains(
            "name: \"fix-bundle\"",
            "sha256: \"" + bundle.sha256() + "\"",
            "onDelete: \"Revert\"",
            "maxParallel: 1",
            "soakSeconds: 5",
            "containerName: \"app\"",
            "app: \"checkout\"",
            "mode: \"Auto\"");
  }

  @Test
  void theExampleBundleIsTheDiffOfTheSampleBuilds() {
    GenericKubernetesResource example =
        HotPatchManifest.fromExample(K3sCluster.repo(), "shop", "x", bundle).resource();

    // Same sample sources, same reproducible bundle: the e2e patch is the one the example ships.
    assertThat(SERIALIZATION.asYaml(example)).contains(bundle.sha256());
    assertThat(bundle.sha256())
        .isEqualTo("43a7ccf16ce358c42168bc7e9faf23673b825ef6bddb86849d34cb73cbb87ac5");
  }

  @Test
  void readsTheStatusTheOperatorWrites() {
    Map<String, Object> status =
        Map.of(
            "observedGeneration",
            2,
            "conditions",
            List.of(
                Map.of(
                    "type",
                    "Ready",
                    "status",
                    "True",
                    "reason",
                    "Patched",
                    "observedGeneration",
                    2,
                    "lastTransitionTime",
                    "2026-01-01T00:00:00Z")),
            "targetPods",
            3,
            "patchedPods",
            3,
            "failedPods",
            0,
            "patched",
            "3/3",
            "pods",
            List.of(
                Map.of(
                    "name",
                    "checkout-1",
                    "uid",
                    "u1",
                    "wave",
                    0,
                    "state",
                    "APPLIED",
                    "method",
                    "Hot",
                    "restartCount",
                    0)));

    HotPatchStatus parsed = SERIALIZATION.convertValue(status, HotPatchStatus.class);

    assertThat(HotPatches.isReady(parsed, 2)).isTrue();
    assertThat(HotPatches.isReady(parsed, 3)).isFalse();
    assertThat(HotPatches.pod(parsed, "checkout-1"))
        .hasValueSatisfying(
            p -> {
              assertThat(p.getMethod()).isEqualTo("Hot");
              assertThat(p.getState()).isEqualTo(ResultState.APPLIED);
            });
    assertThat(SERIALIZATION.convertValue(Map.of(), HotPatchStatus.class).getPods()).isEmpty();
  }
}
