package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.sample.SampleVersion;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The operator's leader is killed mid-rollout; the rollout still ends with every pod patched
 * exactly once.
 */
class OperatorFailoverE2E extends E2EBase {
  private static final String PATCH = "fix-price-rounding";

  /** Long enough that the kill lands between the canary and the next wave. */
  private static final int CANARY_SOAK_SECONDS = 30;

  /**
   * The Lease the operator replicas elect their leader with (chart: hotpatch-operator.leaseName).
   */
  private static final String LEASE = "hotpatch-operator-leader";

  @Test
  void killingTheOperatorMidRolloutPatchesEveryPodExactlyOnce() {
    SampleService sample = deploySample(3);
    PatchBundle bundle = publishBundle(SampleVersion.V2_HOT_FIX, PATCH + "-bundle");
    List<String> pods = sample.podNames();
    apply(manifest(PATCH, bundle).canary(1, CANARY_SOAK_SECONDS).maxParallel("1"));
    await("canary patched")
        .until(() -> Objects.requireNonNullElse(status(PATCH).getPatchedPods(), 0) >= 1);
    assertThat(HotPatches.isReady(status(PATCH), generation(PATCH)))
        .as("rollout still running when the operator is killed (raise CANARY_SOAK_SECONDS if not)")
        .isFalse();

    killOperatorLeader();

    HotPatchStatus status = awaitReady(PATCH, pods.size());
    assertThat(status.getPods())
        .extracting(PodPatchStatus::getName)
        .containsExactlyInAnyOrderElementsOf(pods);
    assertEveryPodApplied(status, "Hot");
    assertThat(sample.podNames()).as("no pod replaced").isEqualTo(pods);
    for (Pod pod : sample.pods()) {
      String name = pod.getMetadata().getName();
      assertThat(sample.appRestarts(pod)).as("app restarts of %s", name).isZero();
      assertThat(sample.quote(name))
          .as("answer of %s", name)
          .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
      assertThat(liveApplies(sample.sidecarLog(name), bundle))
          .as("live applies the sidecar of %s logged", name)
          .containsExactly("APPLIED");
    }
  }

  /**
   * Force-deletes the pod holding the leader Lease (every operator pod when none holds it), as a
   * crash would.
   */
  private static void killOperatorLeader() {
    String ns = K3sCluster.OPERATOR_NAMESPACE;
    Lease lease = client().leases().inNamespace(ns).withName(LEASE).get();
    String holder =
        lease == null || lease.getSpec() == null ? null : lease.getSpec().getHolderIdentity();
    List<Pod> operators = client().pods().inNamespace(ns).list().getItems();
    List<Pod> victims =
        operators.stream().filter(p -> p.getMetadata().getName().equals(holder)).toList();
    List<Pod> killed = victims.isEmpty() ? operators : victims;
    killed.forEach(
        pod -> client().pods().inNamespace(ns).resource(pod).withGracePeriod(0).delete());
    List<String> killedUids = killed.stream().map(p -> p.getMetadata().getUid()).toList();
    await("operator Deployment available again without the killed pods")
        .until(
            () -> {
              Deployment deployment =
                  client().apps().deployments().inNamespace(ns).withName(K3sCluster.RELEASE).get();
              boolean gone =
                  client().pods().inNamespace(ns).list().getItems().stream()
                      .noneMatch(p -> killedUids.contains(p.getMetadata().getUid()));
              return gone
                  && Objects.equals(
                      deployment.getStatus().getReadyReplicas(),
                      deployment.getSpec().getReplicas());
            });
  }

  /**
   * Results of every live apply of this patch in a sidecar log, from its line {@code apply
   * <ns>/<name> <sha256> in pid <pid>: <STATE>[ (detail)]}.
   */
  private static List<String> liveApplies(String log, PatchBundle bundle) {
    Pattern line =
        Pattern.compile(
            "apply "
                + Pattern.quote(namespace() + "/" + PATCH + " " + bundle.sha256())
                + " in pid \\d+: (\\w+)");
    return log.lines().map(line::matcher).filter(m -> m.find()).map(m -> m.group(1)).toList();
  }
}
