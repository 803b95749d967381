package io.hotpatch.operator.channel.http;

import static io.hotpatch.testkit.StandInPods.controlledBy;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.PodReport;
import io.hotpatch.operator.channel.http.PodProcesses.SimulatedPod;
import io.hotpatch.operator.rollout.RestartAnnotation;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The sidecar channel with real processes: the real operator (this Quarkus app, its HTTPS channel),
 * real sidecar daemons started with exactly the webhook's environment, and real sample JVMs as the
 * pods' app containers (the restart fallback's on Java 11 where installed); Pod objects in the mock
 * API, TokenReviews answered there.
 */
@OperatorOnMockApi
class SidecarChannelIT extends ProcessPodsTestSupport {
  private static final String PRICE = "/price?cents=1999";
  private static final String V1 = "total=23.78 EUR";
  private static final String V2 = "total=23.79 EUR";

  @Test
  void aHotPatchReachesThreeJvmsUnderLoadAndARestartedJvmGetsItAgain() throws Exception {
    List<SimulatedPod> started = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      Pod pod = sidecarPod("checkout-" + i, APP, "127.0.0.5" + i);
      started.add(start(pod, TokenReviews.podToken(pod)));
    }
    awaitSidecarsWaiting(3);
    List<LoadGenerator> loads =
        started.stream().map(p -> LoadGenerator.start(p.jvm.uri(PRICE), 2)).toList();
    loads.forEach(load -> load.awaitRequests(50));
    String sha = bundleConfigMap("fix-bundle", PodProcesses.bundle(SampleVersion.V2_HOT_FIX));
    long start = System.nanoTime();

    hotPatch("fix", sha, spec -> spec.getStrategy().setMaxParallel(new IntOrString("100%")));

    slow().until(() -> conditionIs("fix", "Ready", "True", "AllPodsPatched"));
    long ready = System.nanoTime();
    List<LoadStats> stats = loads.stream().map(LoadGenerator::stop).toList();
    HotPatch patched = get("fix");
    assertThat(patched.getStatus().getPatched()).isEqualTo("3/3");
    assertThat(patched.getStatus().getPods())
        .extracting(p -> p.getName() + ":" + p.getState() + ":" + p.getMethod())
        .containsExactly(
            "checkout-1:APPLIED:Hot", "checkout-2:APPLIED:Hot", "checkout-3:APPLIED:Hot");
    assertThat(started).allSatisfy(p -> assertThat(p.jvm.get(PRICE)).isEqualTo(V2));
    assertThat(stats)
        .allSatisfy(
            s -> {
              assertThat(s.failed()).as(s.firstFailure()).isZero();
              assertThat(s.distinctBodies()).contains(V1, V2);
            });
    System.out.printf(
        "3 real sidecars: HotPatch created -> Ready in %d ms; load per JVM: %s%n",
        Duration.ofNanos(ready - start).toMillis(), stats);

    // The app container restarts: a new JVM, which the sidecar converges again.
    SimulatedPod first = started.get(0);
    Instant restartedAt = Instant.now();
    first.restartJvm();
    assertThat(first.jvm.get(PRICE)).isEqualTo(V2);
    slow()
        .until(
            () ->
                sidecars
                    .report(ref(first.pod), new PatchKey(namespace, "fix"))
                    .map(PodReport::jvmStartedAt)
                    .filter(startedAt -> startedAt.isAfter(restartedAt.minusSeconds(1)))
                    .isPresent());
  }

  /**
   * The app runs on Java 11 where installed (else 17): the operator's part is the same on every
   * JDK, the JVM's refusal and its start with the bundle are what differ, and 17 runs in every
   * other test.
   */
  @Test
  void aSchemaChangeRollsTheOwningDeploymentAndANewJvmStartsWithIt() throws Exception {
    ReplicaSet replicaSet = deploymentWithReplicaSet("checkout", false, "checkout-v1");
    Pod pod = sidecarPod("checkout-v1-a", APP, "127.0.0.61", controlledBy(replicaSet));
    SimulatedPod simulated =
        start(pod, TokenReviews.podToken(pod), JavaHomes.find(11).orElse(JavaHomes.current()));
    assertThat(simulated.jvm.get(PRICE))
        .isEqualTo(V1); // loads the class: a live JVM must refuse the change
    awaitSidecarsWaiting(1);
    String sha = bundleConfigMap("fix-bundle", PodProcesses.bundle(SampleVersion.V3_SCHEMA_CHANGE));

    HotPatch hotPatch = hotPatch("fix", sha, spec -> {});

    String key = RestartAnnotation.key(hotPatch);
    slow()
        .until(
            () ->
                client
                    .apps()
                    .deployments()
                    .inNamespace(namespace)
                    .withName("checkout")
                    .get()
                    .getSpec()
                    .getTemplate()
                    .getMetadata()
                    .getAnnotations(),
            annotations ->
                annotations != null
                    && (hotPatch.getMetadata().getUid()
                            + "."
                            + hotPatch.getMetadata().getGeneration())
                        .equals(annotations.get(key)));
    slow()
        .until(
            () ->
                stateOf("fix", "checkout-v1-a")
                    == ResultState.NOT_HOT_APPLICABLE); // same reconcile
    assertThat(simulated.jvm.get(PRICE)).as("nothing was redefined").isEqualTo(V1);

    // The JVM of the pod that replaces it starts with the staged bundle, so the schema change is
    // in.
    Instant restartedAt = Instant.now();
    simulated.restartJvm();
    assertThat(simulated.jvm.get(PRICE)).isEqualTo("total=23.79 EUR (rounded half-up)");
    // The sidecar attaches to the new JVM and reports the patch in since its start.
    slow()
        .until(
            () ->
                sidecars
                    .report(ref(pod), new PatchKey(namespace, "fix"))
                    .filter(report -> report.jvmStartedAt().isAfter(restartedAt.minusSeconds(1)))
                    .filter(report -> report.method() == PatchMethod.STARTUP)
                    .isPresent());
  }

  @Test
  void forgedAndForeignTokensAndATamperedBundleChangeNothing() throws Exception {
    Pod forged = sidecarPod("checkout-forged", APP, "127.0.0.71");
    Pod foreign = sidecarPod("checkout-foreign", APP, "127.0.0.72");
    Pod other = sidecarPod("billing-a", Map.of("app", "billing"), "127.0.0.73");
    Pod tampered = sidecarPod("billing-tampered", Map.of("app", "billing"), "127.0.0.74");
    List<SimulatedPod> refused =
        List.of(start(forged, TokenReviews.forged()), start(foreign, TokenReviews.podToken(other)));
    SimulatedPod target = start(tampered, TokenReviews.podToken(tampered));
    Stream.concat(refused.stream(), Stream.of(target))
        .forEach(p -> p.jvm.get(PRICE)); // classes loaded
    awaitSidecarsWaiting(1);
    byte[] bundle = PodProcesses.bundle(SampleVersion.V2_HOT_FIX);
    String sha = bundleConfigMap("fix-bundle", bundle);

    hotPatch("fix", sha, spec -> {});
    // A bundle altered after the operator checked it: the sidecar must refuse the bytes.
    byte[] altered = bundle.clone();
    altered[altered.length / 2] ^= 1;
    PatchKey tamperedKey = new PatchKey(namespace, "tampered");
    sidecars.publish(
        ref(tampered),
        new DesiredPatch(
            tamperedKey, "uid-1", Sha256.hex(bundle), altered, DesiredPatch.Action.APPLY, true));

    slow()
        .untilAsserted(
            () -> {
              assertThat(channelLog)
                  .anySatisfy(
                      line -> assertThat(line).contains("pods/checkout-forged/", "with 401"));
              assertThat(channelLog)
                  .anySatisfy(
                      line ->
                          assertThat(line)
                              .contains(
                                  "pods/checkout-foreign/",
                                  "with 403",
                                  "podClaim=" + namespace + "/billing-a"));
            });
    PodReport report =
        slow().until(() -> sidecars.report(ref(tampered), tamperedKey), r -> r.isPresent()).get();
    assertThat(report.state()).isEqualTo(ResultState.FAILED);
    assertThat(report.message()).contains("sha256");
    assertThat(refused)
        .allSatisfy(p -> assertThat(p.jvm.get(PRICE)).as("nothing was redefined").isEqualTo(V1));
    assertThat(target.jvm.get(PRICE)).as("nothing was redefined").isEqualTo(V1);
    assertThat(stateOf("fix", "checkout-forged")).isNull();
    assertThat(stateOf("fix", "checkout-foreign")).isNull();
  }

  private void awaitSidecarsWaiting(int count) {
    slow().until(() -> broadcaster.waiting() >= count);
  }

  private SimulatedPod start(Pod pod, String token) throws IOException {
    return start(pod, token, JavaHomes.current());
  }

  private SimulatedPod start(Pod pod, String token, Path javaHome) throws IOException {
    return pods.start(pod, token, new PodProcesses.Options(javaHome, null, 0));
  }
}
