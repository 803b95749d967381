package io.hotpatch.testkit;

import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Pods as an API server would hold them, for the tests and the bench that stand in for one. */
public final class StandInPods {
  /** Where the kubelet mounts a pod's service account token. */
  public static final String SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

  private StandInPods() {}

  /** The spec of a pod of the shop: one container, {@code app}, of image {@code shop:1}. */
  public static PodSpec appSpec() {
    return new PodSpecBuilder()
        .addNewContainer()
        .withName("app")
        .withImage("shop:1")
        .endContainer()
        .build();
  }

  /**
   * The status the kubelet reports for a running pod of {@link #appSpec()}: ready or not, its
   * container restarted {@code restarts} times and running since {@code startedAt} (in seconds).
   */
  public static PodStatus runningStatus(boolean ready, int restarts, Instant startedAt) {
    return new PodStatusBuilder()
        .withPhase("Running")
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .addNewContainerStatus()
        .withName("app")
        .withReady(ready)
        .withRestartCount(restarts)
        .withNewState()
        .withNewRunning()
        .withStartedAt(startedAt.truncatedTo(ChronoUnit.SECONDS).toString())
        .endRunning()
        .endState()
        .endContainerStatus()
        .build();
  }

  /** The reference a controller (a ReplicaSet, a Deployment) sets on what it owns. */
  public static OwnerReference controlledBy(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .build();
  }

  /**
   * {@code pod} with what the API server's ServiceAccount admission adds: the kube-api-access
   * volume, mounted in its first container.
   */
  public static Pod withServiceAccountToken(Pod pod) {
    return new PodBuilder(pod)
        .editSpec()
        .addNewVolume()
        .withName("kube-api-access")
        .withNewProjected()
        .addNewSource()
        .withNewServiceAccountToken()
        .withPath("token")
        .withExpirationSeconds(3607L)
        .endServiceAccountToken()
        .endSource()
        .endProjected()
        .endVolume()
        .editFirstContainer()
        .addNewVolumeMount()
        .withName("kube-api-access")
        .withMountPath(SERVICE_ACCOUNT_DIR)
        .withReadOnly(true)
        .endVolumeMount()
        .endContainer()
        .endSpec()
        .build();
  }

  /**
   * Stores what the API server makes of {@code patch} to the pods/ephemeralcontainers of {@code
   * namespace}/{@code pod}, a strategic merge patch: ephemeral containers merged by name, never
   * removed or changed.
   */
  public static void storeEphemeralContainers(
      KubernetesClient client, String namespace, String pod, Pod patch) {
    client
        .pods()
        .inNamespace(namespace)
        .withName(pod)
        .edit(
            stored -> {
              stored.getSpec().setEphemeralContainers(mergeEphemeralContainers(stored, patch));
              return stored;
            });
  }

  private static List<EphemeralContainer> mergeEphemeralContainers(Pod stored, Pod patch) {
    List<EphemeralContainer> merged =
        new ArrayList<>(
            stored.getSpec().getEphemeralContainers() == null
                ? List.of()
                : stored.getSpec().getEphemeralContainers());
    for (EphemeralContainer added : patch.getSpec().getEphemeralContainers()) {
      if (merged.stream().noneMatch(c -> c.getName().equals(added.getName()))) {
        merged.add(added);
      }
    }
    return merged;
  }
}
