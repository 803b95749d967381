package io.hotpatch.e2e;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import io.hotpatch.sample.Http;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * The sample checkout service (v1, with the rounding bug) as a Deployment opted in to injection:
 * its jar in a ConfigMap, run by {@code java} of the sample image, as a non-root UID the webhook
 * can copy.
 */
final class SampleService {
  static final String NAME = "checkout";
  static final String CONTAINER = "app";
  static final int PORT = 8080;
  static final String SIDECAR = "hotpatch-sidecar";

  /** Any image with a Java 17+ `java` on its PATH (the sample uses com.sun.net.httpserver). */
  static final String DEFAULT_IMAGE = "eclipse-temurin:21-jre";

  private static final Map<String, String> LABELS =
      Map.of("app", NAME, "hotpatch.io/inject", "true");
  private static final long UID = 1000;

  private final KubernetesClient client;
  private final String namespace;
  private boolean injected = true;

  SampleService(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * The image that runs the sample: -Dhotpatch.e2e.sampleImage, else the image of
   * images/target/hotpatch-sample.tar when the build made one, else {@value #DEFAULT_IMAGE}.
   */
  static String image(K3sCluster cluster) {
    String given = System.getProperty("hotpatch.e2e.sampleImage", "");
    if (!given.isEmpty()) {
      return given;
    }
    return cluster
        .image(K3sCluster.SAMPLE_TARBALL)
        .map(ImageTarball::reference)
        .orElse(DEFAULT_IMAGE);
  }

  /**
   * Pods without the opt-in label: the webhook leaves them alone, as pods that ran before their
   * namespace opted in.
   */
  SampleService notInjected() {
    injected = false;
    return this;
  }

  /** Publishes the v1 jar and creates the Deployment; returns once every replica answers. */
  void deploy(String image, int replicas, Path workDir) {
    byte[] jar;
    try {
      jar =
          Files.readAllBytes(
              SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, Files.createDirectories(workDir)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client
        .configMaps()
        .inNamespace(namespace)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME + "-jar")
                .endMetadata()
                .withBinaryData(Map.of("checkout.jar", Base64.getEncoder().encodeToString(jar)))
                .build())
        .create();
    client
        .apps()
        .deployments()
        .inNamespace(namespace)
        .resource(deployment(image, replicas))
        .create();
    awaitRolledOut();
  }

  private Deployment deployment(String image, int replicas) {
    // No probes: the sample binds to loopback only, which kubelet probes cannot reach (port-forward
    // can).
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(NAME)
        .withLabels(Map.of("app", NAME))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector()
        .withMatchLabels(Map.of("app", NAME))
        .endSelector()
        .withNewTemplate()
        .withNewMetadata()
        .withLabels(injected ? LABELS : Map.of("app", NAME))
        .endMetadata()
        .withNewSpec()
        .withTerminationGracePeriodSeconds(5L)
        .withNewSecurityContext()
        .withRunAsUser(UID)
        .withRunAsGroup(UID)
        .withRunAsNonRoot(true)
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .endSecurityContext()
        .addNewContainer()
        .withName(CONTAINER)
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withCommand(
            "java",
            "-Dsun.net.httpserver.nodelay=true",
            "-cp",
            "/app/checkout.jar",
            SampleVersion.MAIN_CLASS,
            String.valueOf(PORT))
        .addNewPort()
        .withContainerPort(PORT)
        .withName("http")
        .endPort()
        .withNewResources()
        .withRequests(Map.of("cpu", new Quantity("50m"), "memory", new Quantity("96Mi")))
        .withLimits(Map.of("memory", new Quantity("256Mi")))
        .endResources()
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("jar")
        .withMountPath("/app")
        .withReadOnly(true)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("tmp")
        .withMountPath("/tmp")
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("jar")
        .withNewConfigMap()
        .withName(NAME + "-jar")
        .endConfigMap()
        .endVolume()
        .addNewVolume()
        .withName("tmp")
        .withNewEmptyDir()
        .endEmptyDir()
        .endVolume()
        .endSpec()
        .endTemplate()
        .endSpec()
        .build();
  }

  RollableScalableResource<Deployment> deploymentResource() {
    return client.apps().deployments().inNamespace(namespace).withName(NAME);
  }

  /** Scales the Deployment and waits until every replica, old and new, answers. */
  void scale(int replicas) {
    deploymentResource().scale(replicas);
    awaitRolledOut();
  }

  /**
   * Waits until the Deployment is rolled out, every pod is injected, and every pod's service
   * answers.
   */
  void awaitRolledOut() {
    await("Deployment " + NAME + " rolled out").until(this::rolledOut);
    for (Pod pod : injected ? pods() : List.<Pod>of()) {
      assertInjected(pod);
    }
    await("every " + NAME + " pod answers").until(() -> pods().stream().allMatch(this::answers));
  }

  private boolean rolledOut() {
    Deployment deployment = deploymentResource().get();
    DeploymentStatus status = deployment.getStatus();
    int wanted = deployment.getSpec().getReplicas();
    return status != null
        && Objects.equals(status.getObservedGeneration(), deployment.getMetadata().getGeneration())
        && Objects.equals(status.getUpdatedReplicas(), wanted)
        && Objects.equals(status.getReadyReplicas(), wanted)
        && Objects.equals(status.getReplicas(), wanted)
        && pods().size() == wanted;
  }

  private static void assertInjected(Pod pod) {
    boolean injected =
        Stream.concat(
                pod.getSpec().getInitContainers().stream(), pod.getSpec().getContainers().stream())
            .map(Container::getName)
            .anyMatch(SIDECAR::equals);
    if (!injected) {
      throw new AssertionError(
          "pod "
              + pod.getMetadata().getName()
              + " has no "
              + SIDECAR
              + " (webhook note: "
              + pod.getMetadata().getAnnotations().get("hotpatch.io/injection-note")
              + "): check the operator's webhook logs in the dump");
    }
  }

  private boolean answers(Pod pod) {
    try {
      return "ok".equals(get(pod.getMetadata().getName(), "/health"));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** The running (not terminating) pods of the Deployment, by name. */
  List<Pod> pods() {
    return client.pods().inNamespace(namespace).withLabel("app", NAME).list().getItems().stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .toList();
  }

  List<String> podNames() {
    return pods().stream().map(p -> p.getMetadata().getName()).toList();
  }

  /** What GET {@link SampleVersion#PRICE_PATH} answers in {@code pod}. */
  String quote(String pod) {
    return get(pod, SampleVersion.PRICE_PATH);
  }

  private String get(String pod, String path) {
    try (LocalPortForward forward =
        client.pods().inNamespace(namespace).withName(pod).portForward(PORT)) {
      return Http.get(URI.create("http://127.0.0.1:" + forward.getLocalPort() + path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The sidecar's log in {@code pod} (the whole of it: it logs one line per event). */
  String sidecarLog(String pod) {
    return client.pods().inNamespace(namespace).withName(pod).inContainer(SIDECAR).getLog();
  }

  /** Restart count of the app container (0 while its JVM has never been restarted). */
  int appRestarts(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> CONTAINER.equals(s.getName()))
        .mapToInt(s -> s.getRestartCount())
        .sum();
  }
}
