package io.hotpatch.bench;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.ConfigMapBundleReference;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;
import io.hotpatch.operator.reconciler.LeaderElection;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sidecar.daemon.EmbeddedSidecar;
import io.hotpatch.testkit.LocalTls;
import io.hotpatch.testkit.StandInPods;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A simulated cluster: the mock API with N running pods and the price fix's bundle, the operator
 * process, and the pods' sidecars in this process. Each step is one method, so that a benchmark can
 * time them and a test can break things in between (kill the operator mid-rollout, say).
 */
public final class Fleet implements AutoCloseable {
  public static final String NAMESPACE = "fleet";
  static final String HOT_PATCH = "fix-price-rounding";
  private static final Map<String, String> LABELS = Map.of("app", "checkout");

  /** Sidecars connecting at once, a wave as a rollout or an operator restart brings them. */
  private static final int MAX_CONNECTING = 100;

  /** Threads for the TLS work and reads of all the sidecars' channel clients. */
  private static final int CLIENT_THREADS = 4;

  private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(15);
  private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /**
   * The fleet: its size, how long a simulated JVM takes to apply, the rollout's width, the operator
   * to run.
   */
  public record Settings(
      int pods,
      Duration applyTime,
      String maxParallel,
      Path javaHome,
      Path operatorJar,
      Path workDir) {
    /** A fleet on this JVM's Java, running the operator jar this build made. */
    public static Settings local(int pods, Duration applyTime, String maxParallel, Path workDir) {
      return new Settings(
          pods, applyTime, maxParallel, JavaHomes.current(), Fleet.operatorJar(), workDir);
    }
  }

  private final Settings settings;
  private final PrintStream progress;
  private final Path dir;
  private final LocalTls tls;
  private final MockApiServer api;
  private final List<Pod> pods;
  private final String sha;
  private final FleetSidecars sidecars;
  private ExecutorService clientThreads;
  private OperatorProcess operator;
  private int operatorStarts;
  private final List<OperatorProcess> replicas = new ArrayList<>();

  private Fleet(Settings settings, PrintStream progress, Path dir, MockApiServer api)
      throws IOException {
    this.settings = settings;
    this.progress = progress;
    this.dir = dir;
    this.api = api;
    this.tls = LocalTls.shared(dir);
    KubernetesClient client = api.client();
    client
        .namespaces()
        .resource(
            new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
        .create();
    this.pods = createPods(client, settings.pods());
    this.sha =
        bundleConfigMap("fix-bundle", SampleBuilds.priceCalculatorBundle(SampleVersion.V2_HOT_FIX));
    this.sidecars = FleetSidecars.logTo(dir.resolve("sidecars.log"));
  }

  /** The same, printing no progress: for tests that look only at the outcome. */
  public static Fleet quiet(Settings settings) throws IOException {
    return create(settings, new PrintStream(OutputStream.nullOutputStream()));
  }

  /**
   * The mock API with the fleet's running pods and the bundle's ConfigMap; no operator, no sidecar
   * yet.
   */
  public static Fleet create(Settings settings, PrintStream progress) throws IOException {
    Path dir = Files.createDirectories(settings.workDir().resolve("fleet-" + settings.pods()));
    MockApiServer api = MockApiServer.start();
    try {
      return new Fleet(settings, progress, dir, api);
    } catch (IOException | RuntimeException e) {
      api.close();
      throw e;
    }
  }

  /**
   * Starts the operator; a second start (after {@link #killOperator()}) listens on the same ports,
   * as a Service would.
   */
  public OperatorProcess startOperator() throws IOException {
    return startOperator(new String[0]);
  }

  /** The same, with more settings ({@code key=value}) for its first start. */
  public OperatorProcess startOperator(String... more) throws IOException {
    Path log =
        dir.resolve(
            operatorStarts == 0 ? "operator.log" : "operator-" + (operatorStarts + 1) + ".log");
    operator =
        operator == null
            ? OperatorProcess.start(
                settings.javaHome(),
                settings.operatorJar(),
                api.url(),
                tls,
                log,
                Stream.concat(OperatorSizing.forPods(settings.pods()).settings(), Stream.of(more))
                    .toList())
            : operator.restart(log);
    operatorStarts++;
    return operator;
  }

  /**
   * Starts {@code count} operator replicas at once, as the chart's Deployment does: each with its
   * own pod name (leader-election identity) and ports; one of them takes the Lease.
   */
  public List<OperatorProcess> startReplicas(int count) {
    List<CompletableFuture<OperatorProcess>> starting =
        IntStream.range(0, count)
            .mapToObj(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> {
                          try {
                            return OperatorProcess.start(
                                settings.javaHome(),
                                settings.operatorJar(),
                                api.url(),
                                tls,
                                "hotpatch-operator-" + i,
                                dir.resolve("operator-replica-" + i + ".log"),
                                channelUrl -> List.of());
                          } catch (IOException e) {
                            throw new UncheckedIOException(e);
                          }
                        }))
            .toList();
    starting.forEach(replica -> replicas.add(replica.join()));
    return List.copyOf(replicas);
  }

  /** The replica whose identity holds the leader Lease, once one does. */
  public OperatorProcess leader(Duration timeout) {
    await(timeout, () -> leaseHolder().isPresent(), () -> "no replica holds the Lease");
    String holder = leaseHolder().orElseThrow();
    return replicas.stream()
        .filter(r -> holder.equals(r.identity()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the Lease is held by " + holder + ", no replica of this fleet"));
  }

  private Optional<String> leaseHolder() {
    Lease lease =
        api.client()
            .leases()
            .inNamespace(OperatorProcess.NAMESPACE)
            .withName(LeaderElection.LEASE_NAME)
            .get();
    return Optional.ofNullable(lease).map(l -> l.getSpec().getHolderIdentity());
  }

  /**
   * Kills the operator as an eviction or an out-of-memory kill would: no shutdown, no Lease
   * release.
   */
  public void killOperator() throws InterruptedException {
    operator.kill();
  }

  /** Starts every pod's sidecar and waits until each holds its long poll. */
  public void connectSidecars() throws IOException, InterruptedException {
    connectSidecars(operator.channelUrl());
  }

  /**
   * Starts every pod's sidecar against {@code channelUrl} (a Service, say), as {@link
   * #connectSidecars()}.
   */
  public void connectSidecars(URI channelUrl) throws IOException, InterruptedException {
    prepareSidecars(channelUrl, 1);
    startSidecars();
  }

  /**
   * Builds every pod's sidecar against the operator, not started: its token, its folder and its
   * channel client, one for every {@code sidecarsPerClient} sidecars. This is the harness's own
   * work, kept out of the time the sidecars take to connect.
   */
  public void prepareSidecars(int sidecarsPerClient) throws IOException {
    prepareSidecars(operator.channelUrl(), sidecarsPerClient);
  }

  private void prepareSidecars(URI channelUrl, int sidecarsPerClient) throws IOException {
    if (clientThreads == null) {
      // However many clients, their TLS work and reads run on a few threads: a thousand clients'
      // pools on the operator's cores would measure this process, not the operator.
      clientThreads =
          Executors.newFixedThreadPool(
              CLIENT_THREADS,
              task -> {
                Thread thread = new Thread(task, "fleet-channel-client");
                thread.setDaemon(true);
                return thread;
              });
    }
    HttpClient client = null;
    int onClient = 0;
    for (Pod pod : pods) {
      if (client == null || onClient == sidecarsPerClient) {
        client = EmbeddedSidecar.channelClient(tls.caCert(), clientThreads);
        onClient = 0;
      }
      onClient++;
      String name = pod.getMetadata().getName();
      String uid = pod.getMetadata().getUid();
      sidecars.add(
          new FleetSidecars.PodIdentity(NAMESPACE, name, uid, api.issueToken(NAMESPACE, name, uid)),
          channelUrl,
          tls.caCert(),
          podDir(name),
          settings.applyTime(),
          client);
    }
  }

  /**
   * Starts the prepared sidecars, {@link #MAX_CONNECTING} connecting at a time, and waits until
   * each holds its long poll.
   */
  public void startSidecars() throws InterruptedException {
    sidecars.startAdded(MAX_CONNECTING);
    int started = sidecars.size();
    await(
        CONNECT_TIMEOUT,
        () -> sidecars.answered() == started,
        () ->
            sidecars.answered()
                + " of "
                + started
                + " sidecars answered; see "
                + dir.resolve("sidecars.log")
                + " and "
                + operatorTails());
  }

  /**
   * Where a pod's sidecar keeps its files ({@code HOTPATCH_DIR}): the startup bundles are under
   * {@code bundles/}.
   */
  public Path podDir(String podName) {
    return dir.resolve("pods").resolve(podName);
  }

  public List<String> podNames() {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  public void createHotPatch() {
    createHotPatch(HOT_PATCH);
  }

  /**
   * Creates a HotPatch of the given name for the fleet's pods and bundle, as wide as the settings
   * say.
   */
  public void createHotPatch(String name) {
    createHotPatch(
        name,
        "fix-bundle",
        sha,
        spec -> {
          RolloutStrategy strategy = new RolloutStrategy();
          String maxParallel = settings.maxParallel();
          strategy.setMaxParallel(
              maxParallel.endsWith("%")
                  ? new IntOrString(maxParallel)
                  : new IntOrString(Integer.parseInt(maxParallel)));
          spec.setStrategy(strategy);
        });
  }

  /**
   * Stores a bundle as `kubectl create configmap --from-file bundle.jar=...` does; returns its
   * sha256.
   */
  public String bundleConfigMap(String name, byte[] bundle) {
    api.client()
        .configMaps()
        .inNamespace(NAMESPACE)
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName(name)
                .endMetadata()
                .withBinaryData(Map.of("bundle.jar", Base64.getEncoder().encodeToString(bundle)))
                .build())
        .create();
    return Sha256.hex(bundle);
  }

  /** A HotPatch of the fleet's pods with this bundle pin, as customized. */
  public void createHotPatch(
      String name, String configMap, String sha256, Consumer<HotPatchSpec> customize) {
    HotPatchSpec spec = new HotPatchSpec();
    spec.setSelector(new LabelSelectorBuilder().withMatchLabels(LABELS).build());
    ConfigMapBundleReference ref = new ConfigMapBundleReference();
    ref.setName(configMap);
    BundleSource bundle = new BundleSource();
    bundle.setConfigMapRef(ref);
    bundle.setSha256(sha256);
    spec.setBundle(bundle);
    customize.accept(spec);
    HotPatch hotPatch = new HotPatch();
    hotPatch.getMetadata().setName(name);
    hotPatch.getMetadata().setNamespace(NAMESPACE);
    hotPatch.setSpec(spec);
    api.client().resource(hotPatch).create();
  }

  /** Waits for the HotPatch's Ready condition, printing progress, and returns the HotPatch then. */
  public HotPatch awaitReady() {
    return awaitReady(HOT_PATCH, READY_TIMEOUT);
  }

  /** As {@link #awaitReady()}, within {@code timeout}. */
  public HotPatch awaitReady(Duration timeout) {
    return awaitReady(HOT_PATCH, timeout);
  }

  /** Waits for the named HotPatch's Ready condition, printing progress, and returns it then. */
  public HotPatch awaitReady(String name, Duration timeout) {
    long since = System.nanoTime();
    long nextProgress = since + PROGRESS_EVERY.toNanos();
    while (System.nanoTime() - since < timeout.toNanos()) {
      HotPatch current = hotPatch(name);
      if (readyCondition(current).filter(c -> "True".equals(c.getStatus())).isPresent()) {
        return current;
      }
      if (System.nanoTime() >= nextProgress) {
        nextProgress += PROGRESS_EVERY.toNanos();
        progress.printf(
            "  %d pods: %d JVMs patched, status %s, after %d s%n",
            settings.pods(),
            patchedJvms(),
            current == null || current.getStatus() == null ? "-" : current.getStatus().getPatched(),
            Duration.ofNanos(System.nanoTime() - since).toSeconds());
      }
      OperatorProcess.sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        "HotPatch "
            + name
            + " was not Ready after "
            + timeout.toSeconds()
            + " s with "
            + settings.pods()
            + " pods; "
            + patchedJvms()
            + " JVMs patched; see "
            + dir.resolve("sidecars.log")
            + " and "
            + operatorTails());
  }

  /**
   * Ready must mean what it says: every pod reported APPLIED live, and every JVM was patched once.
   */
  public void verifyPatchedOnce(HotPatch ready) {
    // Status lists at most 100 entries: every listed one must be APPLIED Hot, and the counts cover
    // the rest.
    List<PodPatchStatus> entries = ready.getStatus().getPods();
    long hotApplied =
        entries.stream()
            .filter(p -> p.getState() == ResultState.APPLIED && "Hot".equals(p.getMethod()))
            .count();
    int omitted =
        ready.getStatus().getPodsOmitted() == null ? 0 : ready.getStatus().getPodsOmitted();
    Integer patched = ready.getStatus().getPatchedPods();
    List<Integer> applies = appliesPerJvm();
    if (hotApplied != entries.size()
        || entries.size() + omitted != settings.pods()
        || patched == null
        || patched != settings.pods()
        || patchedJvms() != settings.pods()
        || applies.stream().anyMatch(n -> n != 1)) {
      throw new IllegalStateException(
          "Ready, but not every pod is patched exactly once: status "
              + patched
              + " of "
              + settings.pods()
              + " patched, "
              + hotApplied
              + " of "
              + entries.size()
              + " listed APPLIED Hot ("
              + omitted
              + " omitted), "
              + patchedJvms()
              + " JVMs run the patch, applies per JVM "
              + applies.stream().distinct().sorted().toList());
    }
  }

  public HotPatch hotPatch() {
    return hotPatch(HOT_PATCH);
  }

  public HotPatch hotPatch(String name) {
    return api.client().resources(HotPatch.class).inNamespace(NAMESPACE).withName(name).get();
  }

  public List<HotPatch> hotPatches() {
    return api.client().resources(HotPatch.class).inNamespace(NAMESPACE).list().getItems();
  }

  /** The sha256 of the fleet's bundle (ConfigMap fix-bundle, key bundle.jar). */
  public String hotPatchSha() {
    return sha;
  }

  public long patchedJvms() {
    return patchedJvms(sha);
  }

  /** JVMs of the fleet that run the bundle with this sha256. */
  public long patchedJvms(String sha256) {
    return sidecars.active(sha256);
  }

  /** A client of the mock API server, as kubectl would be. */
  public KubernetesClient client() {
    return api.client();
  }

  /**
   * The HTTP status of the operator's health probe ({@code live} or {@code ready}): 200 UP, 503
   * DOWN.
   */
  public int operatorHealth(String probe) {
    return operator.health(probe);
  }

  /** Redefinitions per JVM across the fleet. */
  public List<Integer> appliesPerJvm() {
    return sidecars.appliesPerJvm();
  }

  /** How many redefinitions ran at once, at most, across the fleet. */
  public int mostRedefinitionsAtOnce() {
    int most = 0;
    List<SimulatedJvm.Redefinition> byStart = sidecars.redefinitions();
    for (SimulatedJvm.Redefinition one : byStart) {
      int atOnce = 0;
      for (SimulatedJvm.Redefinition other : byStart) {
        if (other.startNanos() <= one.startNanos() && other.endNanos() > one.startNanos()) {
          atOnce++;
        }
      }
      most = Math.max(most, atOnce);
    }
    return most;
  }

  /**
   * The built operator the tests run: -Dhotpatch.operator.jar, else the operator module's build
   * output.
   */
  public static Path operatorJar() {
    return Path.of(
        System.getProperty(
            "hotpatch.operator.jar", "../operator/target/quarkus-app/quarkus-run.jar"));
  }

  MockApiServer api() {
    return api;
  }

  public OperatorProcess operator() {
    return operator;
  }

  private String operatorTails() {
    List<OperatorProcess> all = new ArrayList<>(replicas);
    if (operator != null) {
      all.add(operator);
    }
    return all.stream().map(OperatorProcess::tail).collect(Collectors.joining("\n"));
  }

  @Override
  public void close() throws InterruptedException {
    try {
      if (operator != null) {
        operator.close();
      }
      for (OperatorProcess replica : replicas) {
        replica.close();
      }
      sidecars.close();
      if (clientThreads != null) {
        clientThreads.shutdownNow();
      }
    } finally {
      api.close();
    }
  }

  private static List<Pod> createPods(KubernetesClient client, int count) {
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Pod>> created =
          IntStream.range(0, count)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> client.resource(pod(String.format("checkout-%04d", i))).create(),
                          creators))
              .toList();
      return created.stream().map(CompletableFuture::join).toList();
    } finally {
      creators.shutdown();
    }
  }

  private static Pod pod(String name) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .withLabels(LABELS)
        .withUid(UUID.randomUUID().toString())
        .endMetadata()
        .withSpec(StandInPods.appSpec())
        .withStatus(StandInPods.runningStatus(true, 0, Instant.now().minusSeconds(3600)))
        .build();
  }

  private static Optional<Condition> readyCondition(HotPatch hotPatch) {
    return hotPatch == null || hotPatch.getStatus() == null
        ? Optional.empty()
        : hotPatch.getStatus().getConditions().stream()
            .filter(c -> "Ready".equals(c.getType()))
            .findFirst();
  }

  public static void await(Duration timeout, BooleanSupplier done, Supplier<String> whyNot) {
    await(timeout, Duration.ofMillis(50), done, whyNot);
  }

  /** The same, looking every {@code interval}: a look that costs the operator work, less often. */
  public static void await(
      Duration timeout, Duration interval, BooleanSupplier done, Supplier<String> whyNot) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "not done after " + timeout.toSeconds() + " s: " + whyNot.get());
      }
      OperatorProcess.sleep(interval);
    }
  }
}
