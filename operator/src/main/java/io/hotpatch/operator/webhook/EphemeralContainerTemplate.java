package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.EphemeralContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountTokenProjection;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The ephemeral container the operator adds to a target pod that has no sidecar: the sidecar image
 * in its ephemeral mode, targeting the JVM's container, as the app's UID and GID with nothing more
 * (so the pod still passes `restricted`), proving its pod with the app container's own service
 * account token. Pure: decides from the pod spec alone, or says in one line why it cannot.
 */
public final class EphemeralContainerTemplate {
  /** One per pod, whatever the HotPatch: an ephemeral container can never be removed. */
  public static final String NAME = "hotpatch";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The container to add, or the refusal (one line: cause and fix). */
  public record Plan(EphemeralContainer container, String refusal) {}

  private final InjectionSettings settings;

  public EphemeralContainerTemplate(InjectionSettings settings) {
    this.settings = settings;
  }

  /** Whether the pod has the injected sidecar (then it needs no other delivery). */
  public static boolean hasSidecar(Pod pod) {
    return names(pod.getSpec().getContainers()).contains(SidecarTemplates.SIDECAR_NAME)
        || names(pod.getSpec().getInitContainers()).contains(SidecarTemplates.SIDECAR_NAME);
  }

  /**
   * Whether the operator's ephemeral container is already in the pod (added once, kept for its
   * life).
   */
  public static boolean hasEphemeral(Pod pod) {
    return pod.getSpec().getEphemeralContainers() != null
        && pod.getSpec().getEphemeralContainers().stream().anyMatch(c -> NAME.equals(c.getName()));
  }

  /**
   * @param containerName the HotPatch's spec.containerName, or null for the pod's first container
   */
  public Plan plan(Pod pod, String containerName) {
    List<Container> containers = pod.getSpec().getContainers();
    Optional<Container> found =
        containers.stream()
            .filter(c -> containerName == null || containerName.equals(c.getName()))
            .findFirst();
    if (found.isEmpty()) {
      return refuse(
          "the pod has no container "
              + containerName
              + ": set spec.containerName to one of "
              + names(containers));
    }
    Container target = found.get();
    if (names(containers).contains(NAME)) {
      return refuse("the pod already has a container named " + NAME + ": rename it");
    }
    RunAs runAs =
        RunAs.of(
            MAPPER.valueToTree(pod.getSpec().getSecurityContext()),
            MAPPER.valueToTree(target.getSecurityContext()));
    String fallback =
        "; or set spec.delivery.uninjectedPods to RestartWorkload, so that the webhook's sidecar"
            + " comes with new pods";
    if (runAs.uid() == null || runAs.gid() == null) {
      return refuse(
          "the pod spec does not say which UID and GID container "
              + target.getName()
              + " runs as,"
              + " and the ephemeral container must run as both to attach: set securityContext.runAsUser (non-zero)"
              + " and runAsGroup"
              + fallback);
    }
    if (runAs.uid() == 0) {
      return refuse(
          "container "
              + target.getName()
              + " runs as root and the ephemeral container never does"
              + " (Pod Security restricted): run the app as a non-zero runAsUser"
              + fallback);
    }
    Optional<String> token = serviceAccountToken(pod, target);
    if (token.isEmpty()) {
      return refuse(
          "no safe identity: container "
              + target.getName()
              + " mounts no service account token"
              + " (automountServiceAccountToken: false), and that token is how the ephemeral container proves its"
              + " pod to the operator: let the pod mount it"
              + fallback);
    }
    if (settings.caPem().isEmpty()) {
      return refuse(
          "the operator's CA certificate is unknown (no ca.crt in its TLS secret), and an ephemeral"
              + " container cannot mount it: mount the TLS secret with ca.crt at /etc/hotpatch/tls"
              + fallback);
    }
    List<EnvVar> env = new ArrayList<>();
    env.add(SidecarTemplates.env("HOTPATCH_MODE", "ephemeral"));
    env.add(SidecarTemplates.env("HOTPATCH_CHANNEL_URL", settings.channelUrl()));
    env.add(SidecarTemplates.env("HOTPATCH_POD_NAME", pod.getMetadata().getName()));
    env.add(SidecarTemplates.env("HOTPATCH_POD_NAMESPACE", pod.getMetadata().getNamespace()));
    env.add(SidecarTemplates.env("HOTPATCH_POD_UID", pod.getMetadata().getUid()));
    env.add(SidecarTemplates.env("HOTPATCH_TOKEN_FILE", token.get()));
    env.add(SidecarTemplates.env("HOTPATCH_CA_PEM", settings.caPem().get()));
    EphemeralContainer container =
        new EphemeralContainerBuilder()
            .withName(NAME)
            .withImage(settings.sidecarImage())
            .withImagePullPolicy(settings.pullPolicy())
            .withTargetContainerName(target.getName())
            .withEnv(env)
            .withSecurityContext(SidecarTemplates.securityContext(runAs))
            .build();
    return new Plan(container, null);
  }

  /**
   * Where the target container reads the pod's bound service account token (a projected volume with
   * a serviceAccountToken source of the API server's audience, as the kubelet's kube-api-access
   * volume).
   */
  private static Optional<String> serviceAccountToken(Pod pod, Container target) {
    if (Boolean.FALSE.equals(pod.getSpec().getAutomountServiceAccountToken())
        || target.getVolumeMounts() == null
        || pod.getSpec().getVolumes() == null) {
      return Optional.empty();
    }
    for (VolumeMount mount : target.getVolumeMounts()) {
      for (Volume volume : pod.getSpec().getVolumes()) {
        if (!volume.getName().equals(mount.getName())
            || volume.getProjected() == null
            || mount.getSubPath() != null && !mount.getSubPath().isEmpty()) {
          continue;
        }
        for (VolumeProjection source : volume.getProjected().getSources()) {
          ServiceAccountTokenProjection token = source.getServiceAccountToken();
          if (token != null && (token.getAudience() == null || token.getAudience().isEmpty())) {
            return Optional.of(mount.getMountPath().replaceAll("/+$", "") + "/" + token.getPath());
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Plan refuse(String why) {
    return new Plan(null, why);
  }

  private static List<String> names(List<Container> containers) {
    return containers == null ? List.of() : containers.stream().map(Container::getName).toList();
  }
}
