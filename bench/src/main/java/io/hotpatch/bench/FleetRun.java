package io.hotpatch.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.ConfigMapBundleReference;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;
import io.hotpatch.sample.LocalTls;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sidecar.daemon.FleetSidecars;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * One fleet of a given size, measured end to end: the mock API with N running pods, the operator
 * process, N sidecars that connect in batches, then a HotPatch from creation to Ready; fails with
 * the cause when the fleet does not end exactly patched once per JVM.
 */
final class FleetRun {
  static final String NAMESPACE = "fleet";
  static final Map<String, String> LABELS = Map.of("app", "checkout");
  private static final int CONNECT_BATCH = 100;
  private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /** What to run: fleet size, how long a simulated JVM takes to apply, and where the pieces are. */
  record Settings(int pods, Duration applyTime, String maxParallel, Path javaHome, Path operatorJar, Path workDir) {}

  private final Settings settings;
  private final PrintStream progress;

  FleetRun(Settings settings, PrintStream progress) {
    this.settings = settings;
    this.progress = progress;
  }

  FleetFigures run() throws IOException, InterruptedException {
    Path dir = Files.createDirectories(settings.workDir().resolve("fleet-" + settings.pods()));
    LocalTls tls = LocalTls.generate(dir.resolve("tls"));
    try (MockApiServer api = MockApiServer.start()) {
      KubernetesClient client = api.client();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata()
          .build()).create();
      List<Pod> pods = createPods(client);
      byte[] bundle = priceFixBundle();
      String sha = Sha256.hex(bundle);
      client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder().withNewMetadata()
          .withName("fix-bundle").endMetadata()
          .withBinaryData(Map.of("bundle.jar", Base64.getEncoder().encodeToString(bundle))).build()).create();

      long starting = System.nanoTime();
      try (OperatorProcess operator = OperatorProcess.start(settings.javaHome(), settings.operatorJar(), api.url(),
              tls, dir.resolve("operator.log"));
          FleetSidecars sidecars = FleetSidecars.logTo(dir.resolve("sidecars.log"))) {
        Duration operatorStart = Duration.ofNanos(System.nanoTime() - starting);
        progress.printf("  %d pods: operator ready in %d ms; connecting the sidecars%n", settings.pods(),
            operatorStart.toMillis());
        Duration cpuAtConnect = operator.cpu();
        long connecting = System.nanoTime();
        connect(api, operator, tls, sidecars, pods, dir.resolve("pods"));
        Duration connect = Duration.ofNanos(System.nanoTime() - connecting);
        Duration cpuBefore = operator.cpu();
        long heapIdle = operator.liveHeapBytes();

        long writesBefore = api.applies().applies();
        Duration apiTimeBefore = api.applies().applyTime();
        Duration fleetCpuBefore = ownCpu();
        long creating = System.nanoTime();
        client.resource(hotPatch(sha)).create();
        HotPatch ready = awaitReady(client, sidecars, sha, creating);
        Duration toReady = Duration.ofNanos(System.nanoTime() - creating);
        Duration rolloutCpu = operator.cpu().minus(cpuBefore);
        Duration fleetCpu = ownCpu().minus(fleetCpuBefore);
        verify(ready, sidecars, sha);
        return new FleetFigures(settings.pods(), operatorStart, connect, cpuBefore.minus(cpuAtConnect), heapIdle,
            toReady, rolloutCpu, fleetCpu, api.applies().applies() - writesBefore,
            api.applies().applyTime().minus(apiTimeBefore), operator.liveHeapBytes(), operator.peakRssBytes());
      }
    }
  }

  private List<Pod> createPods(KubernetesClient client) {
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Pod>> created = IntStream.range(0, settings.pods())
          .mapToObj(i -> CompletableFuture.supplyAsync(() -> client.resource(pod(String.format("checkout-%04d", i)))
              .create(), creators)).toList();
      return created.stream().map(CompletableFuture::join).toList();
    } finally {
      creators.shutdown();
    }
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).withLabels(LABELS)
        .withUid(UUID.randomUUID().toString()).endMetadata()
        .withNewSpec().addNewContainer().withName("app").withImage("shop:1").endContainer().endSpec()
        .withNewStatus().withPhase("Running").addNewCondition().withType("Ready").withStatus("True").endCondition()
        .addNewContainerStatus().withName("app").withReady(true).withRestartCount(0).withNewState().withNewRunning()
        .withStartedAt(Instant.now().minusSeconds(3600).toString()).endRunning().endState().endContainerStatus()
        .endStatus().build();
  }

  /** Sidecars connect in batches, as a fleet does: a thousand simultaneous TLS handshakes would only measure those. */
  private void connect(MockApiServer api, OperatorProcess operator, LocalTls tls, FleetSidecars sidecars,
      List<Pod> pods, Path podsDir) throws IOException {
    for (int batch = 0; batch < pods.size(); batch += CONNECT_BATCH) {
      for (Pod pod : pods.subList(batch, Math.min(pods.size(), batch + CONNECT_BATCH))) {
        String name = pod.getMetadata().getName();
        String uid = pod.getMetadata().getUid();
        sidecars.start(new FleetSidecars.PodIdentity(NAMESPACE, name, uid, api.issueToken(NAMESPACE, name, uid)),
            operator.channelUrl(), tls.caCert(), podsDir.resolve(name), settings.applyTime());
      }
      int started = Math.min(pods.size(), batch + CONNECT_BATCH);
      await(CONNECT_TIMEOUT, () -> sidecars.converged() == started, () -> sidecars.converged() + " of " + started
          + " sidecars converged; see " + podsDir.resolveSibling("sidecars.log") + " and " + operator.tail());
    }
  }

  private HotPatch hotPatch(String sha) {
    HotPatchSpec spec = new HotPatchSpec();
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(LABELS).build());
    ConfigMapBundleReference ref = new ConfigMapBundleReference();
    ref.setName("fix-bundle");
    BundleSource bundle = new BundleSource();
    bundle.setConfigMapRef(ref);
    bundle.setSha256(sha);
    spec.setBundle(bundle);
    RolloutStrategy strategy = new RolloutStrategy();
    strategy.setMaxParallel(new IntOrString(settings.maxParallel()));
    spec.setStrategy(strategy);
    HotPatch hotPatch = new HotPatch();
    hotPatch.getMetadata().setName("fix-price-rounding");
    hotPatch.getMetadata().setNamespace(NAMESPACE);
    hotPatch.setSpec(spec);
    return hotPatch;
  }

  private HotPatch awaitReady(KubernetesClient client, FleetSidecars sidecars, String sha, long since) {
    long nextProgress = since + PROGRESS_EVERY.toNanos();
    long deadline = since + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      HotPatch current = client.resources(HotPatch.class).inNamespace(NAMESPACE).withName("fix-price-rounding").get();
      if (readyCondition(current).filter(c -> "True".equals(c.getStatus())).isPresent()) {
        return current;
      }
      if (System.nanoTime() >= nextProgress) {
        nextProgress += PROGRESS_EVERY.toNanos();
        progress.printf("  %d pods: %d JVMs patched, status %s, after %d s%n", settings.pods(), sidecars.active(sha),
            current.getStatus() == null ? "-" : current.getStatus().getPatched(),
            Duration.ofNanos(System.nanoTime() - since).toSeconds());
      }
      OperatorProcess.sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("the HotPatch was not Ready after " + READY_TIMEOUT.toMinutes() + " min with "
        + settings.pods() + " pods; " + sidecars.active(sha) + " JVMs patched");
  }

  private static Optional<Condition> readyCondition(HotPatch hotPatch) {
    return hotPatch == null || hotPatch.getStatus() == null ? Optional.empty()
        : hotPatch.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
  }

  /** Ready must mean what it says: every pod reported APPLIED live, and every JVM was patched once. */
  private void verify(HotPatch ready, FleetSidecars sidecars, String sha) {
    List<PodPatchStatus> pods = ready.getStatus().getPods();
    long hotApplied = pods.stream().filter(p -> p.getState() == ResultState.APPLIED && "Hot".equals(p.getMethod()))
        .count();
    List<Integer> applies = sidecars.appliesPerJvm();
    if (hotApplied != settings.pods() || sidecars.active(sha) != settings.pods()
        || applies.stream().anyMatch(n -> n != 1)) {
      throw new IllegalStateException("Ready, but not every pod is patched exactly once: status " + hotApplied
          + " of " + settings.pods() + " APPLIED Hot, " + sidecars.active(sha) + " JVMs run the patch, applies per JVM "
          + applies.stream().distinct().sorted().toList());
    }
  }

  private static Duration ownCpu() {
    return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** The sample service's price fix (v2 of shop.PriceCalculator) as a bundle. */
  private static byte[] priceFixBundle() {
    Map<String, byte[]> classes = SampleBuilds.compile(SampleBuilds.sampleSources(SampleVersion.V2_HOT_FIX), 17);
    return BundleWriter.write(Map.of("shop.PriceCalculator", classes.get("shop.PriceCalculator")),
        BundleManifest.empty());
  }

  private static void await(Duration timeout, BooleanSupplier done, Supplier<String> whyNot) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("not done after " + timeout.toSeconds() + " s: " + whyNot.get());
      }
      OperatorProcess.sleep(Duration.ofMillis(50));
    }
  }
}
