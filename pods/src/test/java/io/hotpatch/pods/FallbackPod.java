package io.hotpatch.pods;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.sample.Http;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restart fallback's pod: a schema-changing HotPatch (v3 adds a field and a method) that the
 * app's live JVM refuses makes the operator roll the checkout Deployment; the replacement pod, made
 * from the rolled template as the ReplicaSet would and admitted by the operator's webhook, is
 * played in podman, its init step stages the startup bundle before the JVM starts, and the JVM
 * serves v3 from its first request.
 */
@ExtendWith(PodTier.class)
class FallbackPod {
  /**
   * The operator's restart annotation for the HotPatch: its value is the HotPatch's uid and
   * generation.
   */
  private static final String RESTART_ANNOTATION =
      "restart.hotpatch.io/" + StandInCluster.HOT_PATCH;

  @TempDir Path dir;

  @Test
  void schemaChangeRollsTheDeploymentAndTheReplacementStartsWithIt() throws Exception {
    try (StandInCluster cluster = StandInCluster.start(dir)) {
      StandInCluster.explained(
          () -> {
            cluster.createDeployment();
            int oldPort = PodTier.freePort();
            Pod old = cluster.create(cluster.admit(cluster.replicaPod(oldPort)));
            URI oldPrice = URI.create("http://127.0.0.1:" + oldPort + SampleVersion.PRICE_PATH);
            try (PlayedPod oldPod =
                cluster.play(old, cluster.token(old), oldPrice, SampleVersion.V1_BUGGY)) {
              HotPatch hotPatch =
                  cluster.createHotPatch(
                      "schema-change-bundle",
                      SampleBuilds.priceCalculatorBundle(SampleVersion.V3_SCHEMA_CHANGE));
              StandInCluster.explained(
                  () -> {
                    Map<String, String> rolled =
                        await()
                            .atMost(Duration.ofMinutes(2))
                            .pollInterval(Duration.ofMillis(500))
                            .failFast(
                                () -> PodTier.assertRunning(oldPod.container("hotpatch-sidecar")))
                            .until(
                                () -> templateAnnotations(cluster),
                                annotations ->
                                    annotations
                                        .getOrDefault(RESTART_ANNOTATION, "")
                                        .startsWith(hotPatch.getMetadata().getUid() + "."));
                    // The status follows the roll in the same reconcile's update.
                    await()
                        .atMost(Duration.ofSeconds(30))
                        .untilAsserted(
                            () ->
                                assertThat(cluster.hotPatch().getStatus().getPods())
                                    .singleElement()
                                    .satisfies(
                                        entry -> {
                                          assertThat(entry.getName())
                                              .isEqualTo(old.getMetadata().getName());
                                          assertThat(entry.getState())
                                              .isEqualTo(ResultState.NOT_HOT_APPLICABLE);
                                          assertThat(entry.getMessage())
                                              .isEqualTo(
                                                  "restart requested on Deployment/checkout");
                                        }));
                    assertThat(Http.get(oldPrice))
                        .as("the old pod keeps its JVM as it was")
                        .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
                    System.out.printf(
                        "hotpatch pods: %s refused live in %s; the operator rolled the Deployment: %s%n%s",
                        SampleVersion.V3_SCHEMA_CHANGE,
                        old.getMetadata().getName(),
                        rolled,
                        StandInCluster.getHotPatches(cluster.hotPatch()));
                  },
                  () -> "the old pod's containers:\n" + oldPod.logs());

              int newPort = PodTier.freePort();
              Pod replacement = cluster.create(cluster.admit(cluster.replicaPod(newPort)));
              assertThat(replacement.getSpec().getInitContainers())
                  .extracting("name")
                  .containsExactly("hotpatch-init");
              URI newPrice = URI.create("http://127.0.0.1:" + newPort + SampleVersion.PRICE_PATH);
              long started = System.nanoTime();
              try (PlayedPod newPod =
                  cluster.play(
                      replacement,
                      cluster.token(replacement),
                      newPrice,
                      SampleVersion.V3_SCHEMA_CHANGE)) {
                Duration firstAnswer = Duration.ofNanos(System.nanoTime() - started);
                StandInCluster.explained(
                    () -> {
                      cluster.delete(oldPod);
                      HotPatch ready =
                          cluster.awaitReady(
                              () -> PodTier.assertRunning(newPod.container("hotpatch-sidecar")));
                      assertThat(ready.getStatus().getPods())
                          .singleElement()
                          .satisfies(
                              entry -> {
                                assertThat(entry.getName())
                                    .isEqualTo(replacement.getMetadata().getName());
                                assertThat(entry.getState()).isEqualTo(ResultState.APPLIED);
                                assertThat(entry.getMethod()).isEqualTo("Startup");
                              });
                      assertThat(Http.get(newPrice))
                          .isEqualTo(SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());
                      System.out.printf(
                          "hotpatch pods: replacement pod %s served v3 from its first answer, %d ms after"
                              + " `podman kube play`%n",
                          newPod.name(), firstAnswer.toMillis());
                    },
                    () -> "the replacement pod's containers:\n" + newPod.logs());
              }
            }
          },
          cluster::diagnostics);
    }
  }

  private static Map<String, String> templateAnnotations(StandInCluster cluster) {
    Deployment deployment =
        cluster
            .client()
            .apps()
            .deployments()
            .inNamespace(StandInCluster.NAMESPACE)
            .withName(StandInCluster.DEPLOYMENT)
            .get();
    Map<String, String> annotations =
        deployment.getSpec().getTemplate().getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
