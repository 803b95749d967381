package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The containers, volumes and env entries the webhook adds to a pod, as JSON ready for a patch. */
final class SidecarTemplates {
  static final String INIT_NAME = "hotpatch-init";
  public static final String SIDECAR_NAME = "hotpatch-sidecar";
  static final String SHARED_VOLUME = "hotpatch";
  static final String TMP_VOLUME = "hotpatch-tmp";
  static final String TOKEN_VOLUME = "hotpatch-token";
  static final String HOTPATCH_DIR = "/hotpatch";
  static final String TOKEN_DIR = "/var/run/secrets/hotpatch";
  static final String TOKEN_AUDIENCE = "hotpatch-operator";
  static final long TOKEN_EXPIRATION_SECONDS = 600;
  static final String DEFAULT_CA_FILE = TOKEN_DIR + "/ca.crt";
  static final String CONTAINER_NAME_ENV = "HOTPATCH_CONTAINER_NAME";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final InjectionSettings settings;

  SidecarTemplates(InjectionSettings settings) {
    this.settings = settings;
  }

  /**
   * Copies the agent jar into the shared volume and stages the pod's startup bundles before any app
   * container starts (both sidecar modes run init containers first): it holds the app at most
   * startupWaitSeconds, waiting for the HotPatches whose restart fallback created the pod.
   */
  JsonNode initContainer(RunAs runAs, String targetContainer, Set<String> restartedFor) {
    boolean stages = settings.startupWaitSeconds() > 0;
    List<EnvVar> env =
        stages
            ? sidecarEnv(targetContainer)
            : new ArrayList<>(List.of(env("HOTPATCH_DIR", HOTPATCH_DIR)));
    if (stages) {
      env.add(
          env("HOTPATCH_STARTUP_WAIT_SECONDS", Integer.toString(settings.startupWaitSeconds())));
    }
    if (stages && !restartedFor.isEmpty()) {
      env.add(env("HOTPATCH_STARTUP_PATCHES", String.join(",", restartedFor)));
    }
    ContainerBuilder init =
        base(INIT_NAME, runAs)
            .withArgs("--install-agent")
            .withEnv(env)
            .withVolumeMounts(
                mount(SHARED_VOLUME, HOTPATCH_DIR, false), mount(TMP_VOLUME, "/tmp", false));
    if (stages) {
      // The projected token is a pod volume: an init container proves the pod's identity with it
      // too.
      init.addToVolumeMounts(mount(TOKEN_VOLUME, TOKEN_DIR, true));
    }
    return MAPPER.valueToTree(init.build());
  }

  /** The long-running sidecar; as a native sidecar it is an init container that keeps running. */
  JsonNode sidecar(RunAs runAs, String targetContainer) {
    ContainerBuilder sidecar =
        base(SIDECAR_NAME, runAs)
            .withEnv(sidecarEnv(targetContainer))
            .withVolumeMounts(
                mount(SHARED_VOLUME, HOTPATCH_DIR, false),
                // The attacher needs a writable /tmp; the root filesystem is read-only.
                mount(TMP_VOLUME, "/tmp", false),
                mount(TOKEN_VOLUME, TOKEN_DIR, true));
    if (settings.mode() == SidecarMode.NATIVE) {
      sidecar.withRestartPolicy("Always");
    }
    return MAPPER.valueToTree(sidecar.build());
  }

  List<JsonNode> volumes() {
    Volume shared =
        new VolumeBuilder()
            .withName(SHARED_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("128Mi"))
            .endEmptyDir()
            .build();
    Volume tmp =
        new VolumeBuilder()
            .withName(TMP_VOLUME)
            .withNewEmptyDir()
            .withSizeLimit(new Quantity("16Mi"))
            .endEmptyDir()
            .build();
    Volume token =
        new VolumeBuilder()
            .withName(TOKEN_VOLUME)
            .withNewProjected()
            .addNewSource()
            .withNewServiceAccountToken()
            .withAudience(TOKEN_AUDIENCE)
            .withExpirationSeconds(TOKEN_EXPIRATION_SECONDS)
            .withPath("token")
            .endServiceAccountToken()
            .endSource()
            .endProjected()
            .build();
    return List.of(MAPPER.valueToTree(shared), MAPPER.valueToTree(tmp), MAPPER.valueToTree(token));
  }

  /**
   * The shared volume as the target container mounts it: the JVM reads the agent and bundles there.
   */
  static JsonNode targetMount() {
    return MAPPER.valueToTree(mount(SHARED_VOLUME, HOTPATCH_DIR, false));
  }

  static JsonNode envEntry(String name, String value) {
    return MAPPER.valueToTree(env(name, value));
  }

  private ContainerBuilder base(String name, RunAs runAs) {
    return new ContainerBuilder()
        .withName(name)
        .withImage(settings.sidecarImage())
        .withImagePullPolicy(settings.pullPolicy())
        .withResources(
            new ResourceRequirementsBuilder()
                .withRequests(
                    new TreeMap<>(
                        Map.of("cpu", new Quantity("10m"), "memory", new Quantity("48Mi"))))
                .withLimits(Map.of("memory", new Quantity("96Mi")))
                .build())
        .withSecurityContext(securityContext(runAs));
  }

  /**
   * Same UID and GID as the app (HotSpot accepts an attach only from those), nothing more: passes
   * `restricted`.
   */
  static SecurityContext securityContext(RunAs runAs) {
    return new SecurityContextBuilder()
        .withRunAsUser(runAs.uid())
        .withRunAsGroup(runAs.gid())
        .withRunAsNonRoot(true)
        .withAllowPrivilegeEscalation(false)
        .withPrivileged(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }

  private List<EnvVar> sidecarEnv(String targetContainer) {
    List<EnvVar> env = new ArrayList<>();
    env.add(env("HOTPATCH_CHANNEL_URL", settings.channelUrl()));
    env.add(fieldRef("HOTPATCH_POD_NAME", "metadata.name"));
    env.add(fieldRef("HOTPATCH_POD_NAMESPACE", "metadata.namespace"));
    env.add(fieldRef("HOTPATCH_POD_UID", "metadata.uid"));
    env.add(env("HOTPATCH_CONTAINER", targetContainer));
    env.add(env("HOTPATCH_DIR", HOTPATCH_DIR));
    env.add(env("HOTPATCH_TOKEN_FILE", TOKEN_DIR + "/token"));
    // A pod cannot mount a Secret of the operator's namespace, so the CA travels as text.
    env.add(
        settings
            .caPem()
            .map(pem -> env("HOTPATCH_CA_PEM", pem))
            .orElseGet(() -> env("HOTPATCH_CA_FILE", DEFAULT_CA_FILE)));
    return env;
  }

  static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  private static EnvVar fieldRef(String name, String fieldPath) {
    return new EnvVarBuilder()
        .withName(name)
        .withNewValueFrom()
        .withNewFieldRef()
        .withApiVersion("v1")
        .withFieldPath(fieldPath)
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly ? true : null)
        .build();
  }
}
