package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.jr.ob.JSON;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.operator.TestTls;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.PodReport;
import io.hotpatch.operator.rollout.RestartAnnotation;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.daemon.SidecarMain;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

/**
 * The sidecar channel with real processes: the real operator (this Quarkus app, its HTTPS channel), real
 * sidecar daemons started with exactly the webhook's environment, and real sample JVMs as the
 * pods' app containers (the restart fallback's on Java 11 where installed); Pod objects in the mock
 * API, TokenReviews answered there.
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
class SidecarChannelIT extends ChannelTestSupport {
  private static final String PRICE = "/price?cents=1999";
  private static final String V1 = "total=23.78 EUR";
  private static final String V2 = "total=23.79 EUR";
  private final List<AutoCloseable> processes = new ArrayList<>();
  private Path work;
  private Path v1Jar;

  @BeforeEach
  void sampleApp() throws IOException {
    work = Files.createDirectories(Path.of("target", "it", namespace)).toAbsolutePath();
    v1Jar = SampleBuilds.sampleJar(SampleVersion.V1_BUGGY, work, SampleBuilds.TARGET_RELEASE);
  }

  @AfterEach
  void stopProcesses() throws Exception {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  @Test
  void aHotPatchReachesThreeJvmsUnderLoadAndARestartedJvmGetsItAgain() throws Exception {
    List<SimulatedPod> pods = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Pod pod = sidecarPod("checkout-" + i, APP, "127.0.0.5" + i);
      pods.add(start(pod, TokenReviews.podToken(pod)));
    }
    awaitSidecarsWaiting(3);
    List<LoadGenerator> loads = pods.stream().map(p -> LoadGenerator.start(p.jvm.uri(PRICE), 2)).toList();
    loads.forEach(load -> load.awaitRequests(50));
    String sha = bundleConfigMap("fix-bundle", bundle(SampleVersion.V2_HOT_FIX));
    long start = System.nanoTime();

    hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString("100%")));

    slow().until(() -> conditionIs("fix", "Ready", "True", "AllPodsPatched"));
    long ready = System.nanoTime();
    List<LoadStats> stats = loads.stream().map(LoadGenerator::stop).toList();
    HotPatch patched = get("fix");
    assertThat(patched.getStatus().getPatched()).isEqualTo("3/3");
    assertThat(patched.getStatus().getPods()).extracting(p -> p.getName() + ":" + p.getState() + ":" + p.getMethod())
        .containsExactly("checkout-1:APPLIED:Hot", "checkout-2:APPLIED:Hot", "checkout-3:APPLIED:Hot");
    assertThat(pods).allSatisfy(p -> assertThat(p.jvm.get(PRICE)).isEqualTo(V2));
    assertThat(stats).allSatisfy(s -> {
      assertThat(s.failed()).as(s.firstFailure()).isZero();
      assertThat(s.distinctBodies()).contains(V1, V2);
    });
    System.out.printf("3 real sidecars: HotPatch created -> Ready in %d ms; load per JVM: %s%n",
        Duration.ofNanos(ready - start).toMillis(), stats);

    // The app container restarts: a new JVM, which the sidecar converges again.
    SimulatedPod first = pods.get(0);
    Instant restartedAt = Instant.now();
    first.restartJvm();
    assertThat(first.jvm.get(PRICE)).isEqualTo(V2);
    slow().until(() -> sidecars.report(ref(first.pod), new PatchKey(namespace, "fix")).map(PodReport::jvmStartedAt)
        .filter(startedAt -> startedAt.isAfter(restartedAt.minusSeconds(1))).isPresent());
  }

  /**
   * The app runs on Java 11 where installed (else 17): the operator's part is the same on every JDK,
   * the JVM's refusal and its start with the bundle are what differ, and 17 runs in every other test.
   */
  @Test
  void aSchemaChangeRollsTheOwningDeploymentAndANewJvmStartsWithIt() throws Exception {
    Deployment deployment = client.resource(new DeploymentBuilder().withNewMetadata().withName("checkout")
        .withNamespace(namespace).endMetadata().withNewSpec()
        .withSelector(new LabelSelectorBuilder().withMatchLabels(APP).build()).withTemplate(template()).endSpec()
        .build()).create();
    ReplicaSet replicaSet = client.resource(new ReplicaSetBuilder().withNewMetadata().withName("checkout-v1")
        .withNamespace(namespace).withOwnerReferences(ownedBy(deployment)).endMetadata().withNewSpec()
        .withSelector(new LabelSelectorBuilder().withMatchLabels(APP).build()).withTemplate(template()).endSpec()
        .build()).create();
    Pod pod = sidecarPod("checkout-v1-a", APP, "127.0.0.61", ownedBy(replicaSet));
    SimulatedPod simulated = start(pod, TokenReviews.podToken(pod), JavaHomes.find(11).orElse(JavaHomes.current()));
    assertThat(simulated.jvm.get(PRICE)).isEqualTo(V1); // loads the class: a live JVM must refuse the change
    awaitSidecarsWaiting(1);
    String sha = bundleConfigMap("fix-bundle", bundle(SampleVersion.V3_SCHEMA_CHANGE));

    HotPatch hotPatch = hotPatch("fix", sha, spec -> {});

    String key = RestartAnnotation.key(hotPatch);
    slow().until(() -> client.apps().deployments().inNamespace(namespace).withName("checkout").get().getSpec()
        .getTemplate().getMetadata().getAnnotations(), annotations -> annotations != null
        && (hotPatch.getMetadata().getUid() + "." + hotPatch.getMetadata().getGeneration())
            .equals(annotations.get(key)));
    slow().until(() -> stateOf("fix", "checkout-v1-a") == ResultState.NOT_HOT_APPLICABLE); // same reconcile
    assertThat(simulated.jvm.get(PRICE)).as("nothing was redefined").isEqualTo(V1);

    // The JVM of the pod that replaces it starts with the staged bundle, so the schema change is in.
    Instant restartedAt = Instant.now();
    simulated.restartJvm();
    assertThat(simulated.jvm.get(PRICE)).isEqualTo("total=23.79 EUR (rounded half-up)");
    // The sidecar attaches to the new JVM and reports the patch in since its start.
    slow().until(() -> sidecars.report(ref(pod), new PatchKey(namespace, "fix"))
        .filter(report -> report.jvmStartedAt().isAfter(restartedAt.minusSeconds(1)))
        .filter(report -> report.method() == PatchMethod.STARTUP).isPresent());
  }

  @Test
  void forgedAndForeignTokensAndATamperedBundleChangeNothing() throws Exception {
    Pod forged = sidecarPod("checkout-forged", APP, "127.0.0.71");
    Pod foreign = sidecarPod("checkout-foreign", APP, "127.0.0.72");
    Pod other = sidecarPod("billing-a", Map.of("app", "billing"), "127.0.0.73");
    Pod tampered = sidecarPod("billing-tampered", Map.of("app", "billing"), "127.0.0.74");
    List<SimulatedPod> refused = List.of(start(forged, TokenReviews.forged()),
        start(foreign, TokenReviews.podToken(other)));
    SimulatedPod target = start(tampered, TokenReviews.podToken(tampered));
    Stream.concat(refused.stream(), Stream.of(target)).forEach(p -> p.jvm.get(PRICE)); // classes loaded
    awaitSidecarsWaiting(1);
    byte[] bundle = bundle(SampleVersion.V2_HOT_FIX);
    String sha = bundleConfigMap("fix-bundle", bundle);

    hotPatch("fix", sha, spec -> {});
    // A bundle altered after the operator checked it: the sidecar must refuse the bytes.
    byte[] altered = bundle.clone();
    altered[altered.length / 2] ^= 1;
    PatchKey tamperedKey = new PatchKey(namespace, "tampered");
    sidecars.publish(ref(tampered), new DesiredPatch(tamperedKey, "uid-1", Sha256.hex(bundle), altered,
        DesiredPatch.Action.APPLY, true));

    slow().untilAsserted(() -> {
      assertThat(channelLog).anySatisfy(line -> assertThat(line).contains("pods/checkout-forged/", "with 401"));
      assertThat(channelLog).anySatisfy(line -> assertThat(line).contains("pods/checkout-foreign/", "with 403",
          "podClaim=" + namespace + "/billing-a"));
    });
    PodReport report = slow().until(() -> sidecars.report(ref(tampered), tamperedKey), r -> r.isPresent()).get();
    assertThat(report.state()).isEqualTo(ResultState.FAILED);
    assertThat(report.message()).contains("sha256");
    assertThat(refused).allSatisfy(p -> assertThat(p.jvm.get(PRICE)).as("nothing was redefined").isEqualTo(V1));
    assertThat(target.jvm.get(PRICE)).as("nothing was redefined").isEqualTo(V1);
    assertThat(stateOf("fix", "checkout-forged")).isNull();
    assertThat(stateOf("fix", "checkout-foreign")).isNull();
  }

  /** The sample's PriceCalculator of that version as a bundle, for every JDK the app may run on. */
  private static byte[] bundle(SampleVersion version) {
    return SampleBuilds.priceCalculatorBundle(version, SampleBuilds.TARGET_RELEASE);
  }

  private void awaitSidecarsWaiting(int count) {
    slow().until(() -> broadcaster.waiting() >= count);
  }

  private static ConditionFactory slow() {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
  }

  private SimulatedPod start(Pod pod, String token) throws IOException {
    return start(pod, token, JavaHomes.current());
  }

  /** The pod's app JVM on that JDK (startup agent, container name in its environment) and its sidecar daemon. */
  private SimulatedPod start(Pod pod, String token, Path javaHome) throws IOException {
    String name = pod.getMetadata().getName();
    Path dir = Files.createDirectories(work.resolve(name));
    Path hotpatchDir = Files.createDirectories(dir.resolve("hotpatch"));
    Files.createDirectories(hotpatchDir.resolve("agent"));
    Files.copy(agentJar(), hotpatchDir.resolve("agent/hotpatch-agent.jar"));
    Path tokenFile = Files.writeString(dir.resolve("token"), token);
    SimulatedPod simulated =
        new SimulatedPod(pod, hotpatchDir, "app-" + UUID.randomUUID().toString().substring(0, 8), javaHome);
    simulated.startJvm(0);
    Map<String, String> env = new TreeMap<>();
    env.put("HOTPATCH_CHANNEL_URL", https.toString().replaceAll("/$", ""));
    env.put("HOTPATCH_POD_NAME", name);
    env.put("HOTPATCH_POD_NAMESPACE", namespace);
    env.put("HOTPATCH_POD_UID", pod.getMetadata().getUid());
    env.put("HOTPATCH_TOKEN_FILE", tokenFile.toString());
    env.put("HOTPATCH_CA_FILE", TestTls.caFile().toString());
    env.put("HOTPATCH_CONTAINER", simulated.container);
    env.put("HOTPATCH_DIR", hotpatchDir.toString());
    env.put("HOTPATCH_POLL_WAIT_SECONDS", "30");
    processes.add(startSidecar(env, dir.resolve("sidecar.log")));
    return simulated;
  }

  /** A pod on this machine: its Pod object, shared hotpatch directory and app container's JVM. */
  private final class SimulatedPod {
    final Pod pod;
    final Path hotpatchDir;
    final String container;
    final Path javaHome;
    TargetJvm jvm;

    SimulatedPod(Pod pod, Path hotpatchDir, String container, Path javaHome) {
      this.pod = pod;
      this.hotpatchDir = hotpatchDir;
      this.container = container;
      this.javaHome = javaHome;
    }

    void startJvm(int port) {
      Path agent = hotpatchDir.resolve("agent/hotpatch-agent.jar");
      jvm = TargetJvm.builder().javaHome(javaHome).classpath(v1Jar).port(port)
          .jvmArgs("-javaagent:" + agent + "=bundles=" + hotpatchDir.resolve("bundles"))
          .launcher(command -> {
            List<String> withEnv = new ArrayList<>(List.of("env", "HOTPATCH_CONTAINER_NAME=" + container));
            withEnv.addAll(command);
            return withEnv;
          }).start();
      processes.add(jvm);
    }

    /** The app container restarts: a new JVM on the same port, with the startup agent. */
    void restartJvm() {
      jvm.close();
      startJvm(jvm.port());
    }
  }

  private AutoCloseable startSidecar(Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(JavaHomes.current().resolve("bin/java").toString());
    command.addAll(SidecarMain.JVM_FLAGS);
    command.add("-cp");
    command.add(sidecarClassPath());
    command.add(SidecarMain.class.getName());
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    Process process = builder.start();
    return () -> {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    };
  }

  /**
   * The sidecar image's class path: the sidecar and core jars, jackson-jr, jackson-core and ASM, copied
   * from this test's class path so that a concurrent install of a module cannot change them under
   * a running daemon.
   */
  private String sidecarClassPath() throws IOException {
    Path lib = Files.createDirectories(work.resolve("sidecar-lib"));
    List<String> entries = new ArrayList<>();
    List<Class<?>> types = List.of(SidecarMain.class, DesiredState.class, JSON.class, JsonFactory.class,
        ClassReader.class);
    for (int i = 0; i < types.size(); i++) {
      Path source = location(types.get(i));
      // In a reactor build two of these are folders both named "classes": keep them apart.
      Path copy = lib.resolve(i + "-" + source.getFileName());
      if (!Files.exists(copy)) {
        if (Files.isDirectory(source)) {
          try (Stream<Path> tree = Files.walk(source)) {
            for (Path file : (Iterable<Path>) tree::iterator) {
              Files.copy(file, copy.resolve(source.relativize(file).toString()));
            }
          }
        } else {
          Files.copy(source, copy);
        }
      }
      entries.add(copy.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static PodTemplateSpec template() {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(APP).endMetadata().withNewSpec()
        .addNewContainer().withName("app").withImage("shop:1").endContainer().endSpec().build();
  }

  private static Path agentJar() {
    return Stream.of(System.getProperty("hotpatch.agent.jar", ""), "../agent/target/hotpatch-agent.jar")
        .filter(p -> !p.isEmpty()).map(Path::of).filter(Files::isRegularFile).findFirst()
        .orElseThrow(() -> new IllegalStateException("no agent jar: build agent/ first (mvn install -pl agent)"));
  }
}
