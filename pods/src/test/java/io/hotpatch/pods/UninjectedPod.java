package io.hotpatch.pods;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.hotpatch.operator.api.v1alpha1.DeliveryStrategy;
import io.hotpatch.operator.api.v1alpha1.UninjectedPodDelivery;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.testkit.StandInPods;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pod the webhook never saw (no sidecar, no agent flags, no shared volume), to which the operator
 * adds its ephemeral container {@code hotpatch} (spec.delivery.uninjectedPods: EphemeralContainer);
 * the test starts that container as the API server holds it, as the kubelet would: {@code podman
 * run --pod <pod> --pid container:<app>} shares the target's PID namespace only, with its own mount
 * namespace and no volume, as the spec's UID, read-only. The daemon (HOTPATCH_MODE=ephemeral) reads
 * the app container's service account token and attaches the agent through {@code
 * /proc/<pid>/root}; the stand-in TokenReview vouches for that token of the API server's audience.
 */
@ExtendWith(PodTier.class)
class UninjectedPod {

  @TempDir Path dir;

  private String ephemeral;

  @Test
  void operatorsEphemeralContainerPatchesTheAppUnderLoad() throws Exception {
    try (StandInCluster cluster = StandInCluster.start(dir)) {
      StandInCluster.explained(
          () -> {
            int port = PodTier.freePort();
            Pod stored =
                cluster.create(StandInPods.withServiceAccountToken(cluster.templatePod(port)));
            cluster.serveEphemeralContainers(stored);
            URI price = URI.create("http://127.0.0.1:" + port + SampleVersion.PRICE_PATH);
            try (PlayedPod pod =
                cluster.play(
                    stored, cluster.serviceAccountToken(stored), price, SampleVersion.V1_BUGGY)) {
              StandInCluster.explained(
                  () -> {
                    DeliveryStrategy delivery = new DeliveryStrategy();
                    delivery.setUninjectedPods(UninjectedPodDelivery.EphemeralContainer);
                    LoadStats stats =
                        cluster.patchUnderLoad(
                            price,
                            hotPatch -> hotPatch.getSpec().setDelivery(delivery),
                            () -> kubelet(cluster, pod));
                    assertThat(cluster.hotPatch().getStatus().getPods())
                        .singleElement()
                        .satisfies(entry -> assertThat(entry.getDelivery()).isEqualTo("Ephemeral"));
                    System.out.printf(
                        "hotpatch pods: uninjected pod %s patched by the operator's ephemeral container under"
                            + " load: %s%n",
                        pod.name(), stats);
                    // The ephemeral container logs the apply, and neither it nor the app's JVM
                    // says anything a user would have to look into.
                    assertThat(pod.logs() + Podman.logs(ephemeral))
                        .contains(": APPLIED (")
                        .doesNotContain("WARNING:")
                        .doesNotContain(" WARN ");
                  },
                  () ->
                      "the pod's containers:\n"
                          + pod.logs()
                          + "\nthe ephemeral container:\n"
                          + (ephemeral == null ? "(not started)" : Podman.logs(ephemeral)));
            } finally {
              if (ephemeral != null) {
                Podman.removeContainer(ephemeral);
              }
            }
          },
          cluster::diagnostics);
    }
  }

  /**
   * The kubelet's part: starts the ephemeral container once the operator has added it, then checks
   * it runs.
   */
  private void kubelet(StandInCluster cluster, PlayedPod pod) {
    if (ephemeral != null) {
      PodTier.assertRunning(ephemeral);
      return;
    }
    Pod current =
        cluster.client().pods().inNamespace(StandInCluster.NAMESPACE).withName(pod.name()).get();
    List<EphemeralContainer> added = current.getSpec().getEphemeralContainers();
    if (added != null && !added.isEmpty()) {
      ephemeral = start(added.get(0), pod);
    }
  }

  /**
   * {@code spec} as the kubelet runs an ephemeral container: in the pod (its network), in the
   * target container's PID namespace only, as the spec's UID and GID, no capabilities, a read-only
   * root without podman's own /tmp.
   */
  private static String start(EphemeralContainer spec, PlayedPod pod) {
    String name = PodTier.unique("ephemeral");
    SecurityContext security = spec.getSecurityContext();
    List<String> run =
        new ArrayList<>(
            List.of(
                "run",
                "--detach",
                "--name",
                name,
                "--pod",
                pod.name(),
                "--pid",
                "container:" + pod.container(spec.getTargetContainerName()),
                "--read-only=" + Boolean.TRUE.equals(security.getReadOnlyRootFilesystem()),
                "--read-only-tmpfs=false"));
    run.addAll(Podman.restricted(security.getRunAsUser(), security.getRunAsGroup()));
    spec.getEnv()
        .forEach(env -> run.addAll(List.of("--env", env.getName() + "=" + env.getValue())));
    run.add(spec.getImage());
    Podman.check(run.toArray(String[]::new));
    return name;
  }
}
