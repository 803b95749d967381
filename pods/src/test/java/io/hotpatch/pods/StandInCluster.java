package io.hotpatch.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.bench.MockApiServer;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.sample.Http;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.testkit.LocalTls;
import io.hotpatch.testkit.StandInPods;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What stands in for the cluster around the played pods: the mock API server (with the namespace of
 * examples/checkout.yaml), the operator image run as the chart runs it, on the host network
 * (container-mode sidecars, channel on 127.0.0.1), and the kubelet's reports about the pods.
 */
final class StandInCluster implements AutoCloseable {
  static final String NAMESPACE = "shop";
  static final String HOT_PATCH = "fix-price-rounding";
  static final String DEPLOYMENT = "checkout";

  private final Path dir;
  private final MockApiServer api;
  private final LocalTls tls;
  private final List<HasMetadata> checkout;
  private OperatorContainer operator;

  private StandInCluster(Path dir, MockApiServer api) throws IOException {
    this.dir = dir;
    this.api = api;
    this.tls = LocalTls.generate(PodTier.sharedDir(dir.resolve("tls"), OperatorContainer.UID));
    PodTier.readableByAll(tls);
    this.checkout = load("examples/checkout.yaml");
    checkout.stream()
        .filter(Namespace.class::isInstance)
        .forEach(ns -> api.client().resource(ns).create());
  }

  /** The mock API and the operator, started. */
  static StandInCluster start(Path dir) throws IOException {
    MockApiServer api = MockApiServer.start();
    StandInCluster cluster = null;
    try {
      cluster = new StandInCluster(dir, api);
      // Container mode: podman 4.3 runs init containers to completion, so it cannot run a native
      // sidecar.
      cluster.operator =
          OperatorContainer.start(
              api.url(),
              cluster.tls,
              channel ->
                  List.of("hotpatch.sidecar.mode=container", "hotpatch.channel.url=" + channel));
      return cluster;
    } catch (IOException | RuntimeException e) {
      api.close();
      throw e;
    }
  }

  KubernetesClient client() {
    return api.client();
  }

  /** Where sidecars reach the operator: HTTPS on the host's loopback. */
  URI channelUrl() {
    return operator.channelUrl();
  }

  /** The CA a sidecar trusts (HOTPATCH_CA_PEM). */
  String caPem() throws IOException {
    return Files.readString(tls.caCert());
  }

  /** The projected token kubelet would mount into the pod: TokenReview accepts it for this pod. */
  String token(Pod pod) {
    return api.issueToken(NAMESPACE, pod.getMetadata().getName(), pod.getMetadata().getUid());
  }

  /** The pod's own service account token, which kubelet mounts from the kube-api-access volume. */
  String serviceAccountToken(Pod pod) {
    return api.issueServiceAccountToken(
        NAMESPACE, pod.getMetadata().getName(), pod.getMetadata().getUid());
  }

  /** Lets the operator add ephemeral containers to the stored pod (pods/ephemeralcontainers). */
  void serveEphemeralContainers(Pod pod) {
    api.serveEphemeralContainers(NAMESPACE, pod.getMetadata().getName());
  }

  /**
   * A pod of the checkout Deployment's template, as its ReplicaSet creates it, with a unique name;
   * its app listens on {@code port}, because the pod shares the host's network here.
   */
  Pod templatePod(int port) {
    return templatePod(
        checkout.stream()
            .filter(Deployment.class::isInstance)
            .map(Deployment.class::cast)
            .findFirst()
            .orElseThrow()
            .getSpec()
            .getTemplate(),
        port);
  }

  private static Pod templatePod(PodTemplateSpec template, int port) {
    Pod pod =
        new PodBuilder()
            .withMetadata(new ObjectMetaBuilder(template.getMetadata()).build())
            .withSpec(template.getSpec())
            .build();
    pod.getMetadata().setName(PodTier.unique("checkout"));
    pod.getMetadata().setNamespace(NAMESPACE);
    pod.getSpec().getContainers().get(0).setArgs(List.of(Integer.toString(port)));
    return pod;
  }

  /**
   * Stores the checkout Deployment of examples/checkout.yaml, whose pods {@link #replicaPod} makes.
   */
  void createDeployment() {
    checkout.stream()
        .filter(Deployment.class::isInstance)
        .forEach(deployment -> api.client().resource(deployment).create());
  }

  /**
   * A pod of the stored Deployment's current template, owned by the ReplicaSet of that template
   * (created the first time), as the Deployment and ReplicaSet controllers, which the stand-in API
   * lacks, would make it.
   */
  Pod replicaPod(int port) {
    Deployment deployment =
        api.client().apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
    PodTemplateSpec template = deployment.getSpec().getTemplate();
    String name = DEPLOYMENT + "-" + Integer.toHexString(template.hashCode());
    ReplicaSet replicaSet =
        api.client().apps().replicaSets().inNamespace(NAMESPACE).withName(name).get();
    if (replicaSet == null) {
      replicaSet =
          api.client()
              .resource(
                  new ReplicaSetBuilder()
                      .withNewMetadata()
                      .withName(name)
                      .withNamespace(NAMESPACE)
                      .withOwnerReferences(StandInPods.controlledBy(deployment))
                      .endMetadata()
                      .withNewSpec()
                      .withSelector(deployment.getSpec().getSelector())
                      .withTemplate(template)
                      .endSpec()
                      .build())
              .create();
    }
    Pod pod = templatePod(template, port);
    pod.getMetadata().setOwnerReferences(List.of(StandInPods.controlledBy(replicaSet)));
    return pod;
  }

  /** The pod through the operator's webhook (POST /mutate-pods), as the API server admits it. */
  Pod admit(Pod pod) throws IOException, InterruptedException {
    return new Admission(operator.channelUrl(), tls.clientContext()).admit(pod, NAMESPACE);
  }

  /**
   * Stores the pod as the API server does at creation (Pending: no status yet); the stored pod has
   * its uid.
   */
  Pod create(Pod pod) {
    return api.client().resource(pod).create();
  }

  /** One step of a test, whose failure gets more context. */
  interface Step {
    void run() throws Exception;
  }

  /**
   * Runs {@code step}; a failure carries {@code context} (logs, the HotPatch) as a suppressed
   * exception.
   */
  static void explained(Step step, Supplier<String> context) throws Exception {
    try {
      step.run();
    } catch (RuntimeException | AssertionError e) {
      e.addSuppressed(new IllegalStateException(context.get()));
      throw e;
    }
  }

  /**
   * Plays the stored pod in podman ({@code token}: its projected token, or null), waits until its
   * app answers at {@code price}, checks that its first answer is {@code version}'s quote, and
   * reports the pod Running as the kubelet would.
   */
  PlayedPod play(Pod stored, String token, URI price, SampleVersion version) throws Exception {
    PlayedPod pod =
        PlayedPod.play(
            stored, token, PodTier.sharedDir(dir.resolve(stored.getMetadata().getName()), 0));
    try {
      explained(
          () -> {
            String first =
                await()
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(250))
                    .failFast(() -> PodTier.assertRunning(pod.container("app")))
                    .until(() -> PodTier.tryGet(price), answer -> !answer.isEmpty());
            assertThat(first)
                .as("the first answer of pod %s", pod.name())
                .isEqualTo(version.expectedQuote());
            reportRunning(pod);
          },
          () -> "the pod's containers:\n" + pod.logs());
      return pod;
    } catch (Exception | AssertionError e) {
      pod.close();
      throw e;
    }
  }

  /**
   * Deletes the pod as the ReplicaSet does once its replacement is ready: from the API, then its
   * containers.
   */
  void delete(PlayedPod pod) {
    api.client().pods().inNamespace(NAMESPACE).withName(pod.name()).delete();
    pod.close();
  }

  /**
   * What the kubelet reports once the played pod's containers run: Running and Ready, with their
   * start times.
   */
  private void reportRunning(PlayedPod played) {
    Pod stored = api.client().pods().inNamespace(NAMESPACE).withName(played.name()).get();
    PodBuilder running =
        new PodBuilder(stored)
            .withNewStatus()
            .withPhase("Running")
            .addNewCondition()
            .withType("Ready")
            .withStatus("True")
            .endCondition()
            .endStatus();
    for (var container : stored.getSpec().getContainers()) {
      running
          .editStatus()
          .addNewContainerStatus()
          .withName(container.getName())
          .withReady(true)
          .withRestartCount(0)
          .withNewState()
          .withNewRunning()
          .withStartedAt(played.startedAt(container.getName()).toString())
          .endRunning()
          .endState()
          .endContainerStatus()
          .endStatus();
    }
    api.client().resource(running.build()).update();
  }

  /**
   * Under load from outside the pod, applies examples/fix-price-rounding-bundle.yaml and
   * examples/hotpatch.yaml (without its canary soak: one pod; {@code edit} changes it further) and
   * waits until the HotPatch is Ready; {@code whileWaiting} fails fast (a container that ended).
   * Checks the fix is live, with 0 failed requests, and returns the load's figures.
   */
  LoadStats patchUnderLoad(URI price, Consumer<HotPatch> edit, Runnable whileWaiting)
      throws IOException {
    try (LoadGenerator load = LoadGenerator.start(price, 4)) {
      load.awaitRequests(200);
      load("examples/fix-price-rounding-bundle.yaml")
          .forEach(resource -> api.client().resource(resource).create());
      createHotPatch(edit);
      HotPatch ready = awaitReady(whileWaiting);
      assertThat(Http.get(price)).isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());
      load.awaitRequests(200);
      LoadStats stats = load.stop();
      assertThat(stats.failed()).as(stats.firstFailure()).isZero();
      assertThat(stats.distinctBodies())
          .containsExactlyInAnyOrder(
              SampleVersion.V1_BUGGY.expectedQuote(), SampleVersion.V2_HOT_FIX.expectedQuote());
      assertThat(ready.getStatus().getPods())
          .singleElement()
          .satisfies(
              pod -> {
                assertThat(pod.getState()).isEqualTo(ResultState.APPLIED);
                assertThat(pod.getMethod()).isEqualTo("Hot");
              });
      return stats;
    }
  }

  /**
   * Stores {@code bundle} as ConfigMap {@code name} (key bundle.jar) and creates
   * examples/hotpatch.yaml (without its canary soak) pointing at it.
   */
  HotPatch createHotPatch(String name, byte[] bundle) throws IOException {
    api.client()
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(NAMESPACE)
                .endMetadata()
                .addToBinaryData("bundle.jar", Base64.getEncoder().encodeToString(bundle))
                .build())
        .create();
    return createHotPatch(
        hotPatch -> {
          hotPatch.getSpec().getBundle().getConfigMapRef().setName(name);
          hotPatch.getSpec().getBundle().setSha256(Sha256.hex(bundle));
        });
  }

  private HotPatch createHotPatch(Consumer<HotPatch> edit) throws IOException {
    HotPatch hotPatch;
    try (InputStream in = Files.newInputStream(PodTier.repo().resolve("examples/hotpatch.yaml"))) {
      hotPatch = api.client().getKubernetesSerialization().unmarshal(in, HotPatch.class);
    }
    hotPatch.getSpec().getStrategy().setCanary(null);
    edit.accept(hotPatch);
    return api.client().resource(hotPatch).create();
  }

  /**
   * Waits until the HotPatch is Ready ({@code whileWaiting} fails fast), checks TokenReview was
   * asked, and prints it as {@code kubectl get hp} would.
   */
  HotPatch awaitReady(Runnable whileWaiting) {
    HotPatch ready =
        await()
            .atMost(Duration.ofMinutes(3))
            .pollInterval(Duration.ofMillis(500))
            .failFast(whileWaiting::run)
            .until(this::hotPatch, StandInCluster::ready);
    assertThat(api.tokenReviews()).as("TokenReviews the stand-in API answered").isPositive();
    System.out.print(getHotPatches(ready));
    return ready;
  }

  /** The HotPatch as the stand-in API holds it, or null. */
  HotPatch hotPatch() {
    return api.client().resources(HotPatch.class).inNamespace(NAMESPACE).withName(HOT_PATCH).get();
  }

  /**
   * {@code kubectl -n shop get hp} with the CRD's printer columns, and each pod's entry, as the
   * operator wrote them.
   */
  static String getHotPatches(HotPatch hotPatch) {
    String ready =
        hotPatch.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .map(c -> c.getStatus())
            .findFirst()
            .orElse("");
    StringBuilder out =
        new StringBuilder(
            String.format(
                "$ kubectl -n %s get hp%n%-20s %-6s %-8s %s%n%-20s %-6s %-8s %s%n",
                NAMESPACE,
                "NAME",
                "READY",
                "PATCHED",
                "MODE",
                hotPatch.getMetadata().getName(),
                ready,
                hotPatch.getStatus().getPatched(),
                hotPatch.getSpec().getStrategy().getMode()));
    hotPatch
        .getStatus()
        .getPods()
        .forEach(
            pod ->
                out.append(
                    String.format(
                        "  pod %s: %s%s%s%n",
                        pod.getName(),
                        pod.getState(),
                        pod.getMethod() == null ? "" : " " + pod.getMethod(),
                        pod.getMessage() == null || pod.getMessage().isEmpty()
                            ? ""
                            : ", " + pod.getMessage())));
    return out.toString();
  }

  /** `kubectl get hotpatch -o yaml`, as the stand-in API holds it. */
  String describeHotPatch() {
    HotPatch hotPatch = hotPatch();
    return hotPatch == null
        ? "(no HotPatch " + HOT_PATCH + ")"
        : api.client().getKubernetesSerialization().asYaml(hotPatch);
  }

  /** The operator's log and the HotPatch, for a failure's message. */
  String diagnostics() {
    return operator.tail() + "\nHotPatch:\n" + describeHotPatch();
  }

  private List<HasMetadata> load(String example) throws IOException {
    try (InputStream in = Files.newInputStream(PodTier.repo().resolve(example))) {
      return api.client().load(in).items();
    }
  }

  private static boolean ready(HotPatch hotPatch) {
    return hotPatch != null
        && hotPatch.getStatus() != null
        && hotPatch.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  @Override
  public void close() throws InterruptedException {
    try {
      if (operator != null) {
        operator.close();
      }
    } finally {
      api.close();
    }
  }
}
