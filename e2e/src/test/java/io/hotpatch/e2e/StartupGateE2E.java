package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.hotpatch.sample.SampleVersion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The restart path's gate on K3s: a pod the restart fallback rolled runs its app container only
 * after the init step staged the patch it was restarted for; when the pods cannot reach the
 * operator's channel (a NetworkPolicy; the webhook still works, the API server calls it), a new pod
 * starts after the bound and its HotPatch status says the startup bundles were missing.
 */
class StartupGateE2E extends E2EBase {
  private static final String PATCH = "round-half-up-gated";
  private static final String INIT = "hotpatch-init";

  /** The chart's default sidecar.startupWaitSeconds. */
  private static final Duration BOUND = Duration.ofSeconds(20);

  @Test
  void restartedPodsStartTheirAppAfterStagingAndFailOpenWhenTheChannelIsUnreachable() {
    SampleService sample = deploySample(2);
    PatchBundle bundle = publishBundle(SampleVersion.V3_SCHEMA_CHANGE, PATCH + "-bundle");
    apply(manifest(PATCH, bundle));
    awaitReady(PATCH, 2);
    sample.awaitRolledOut();
    String hotPatchUid = HotPatches.get(client(), namespace(), PATCH).getMetadata().getUid();

    for (Pod pod : sample.pods()) {
      String name = pod.getMetadata().getName();
      assertThat(initEnv(pod))
          .as("init env of %s", name)
          .containsEntry("HOTPATCH_STARTUP_PATCHES", hotPatchUid);
      assertThat(initLog(name)).as("init log of %s", name).contains("staged 1 startup bundle(s)");
      assertThat(appStartedAt(pod))
          .as("app start of %s", name)
          .isAfterOrEqualTo(Instant.parse(initTerminated(pod).getFinishedAt()));
      assertThat(sample.quote(name)).isEqualTo(SampleVersion.V3_SCHEMA_CHANGE.expectedQuote());
    }

    NetworkPolicy isolate =
        client()
            .network()
            .v1()
            .networkPolicies()
            .inNamespace(namespace())
            .resource(
                new NetworkPolicyBuilder()
                    .withNewMetadata()
                    .withName("no-channel")
                    .endMetadata()
                    .withNewSpec()
                    .withNewPodSelector()
                    .withMatchLabels(Map.of("app", SampleService.NAME))
                    .endPodSelector()
                    .withPolicyTypes("Egress")
                    // DNS only: the channel (the operator's Service) is unreachable, the API server
                    // still calls the webhook.
                    .addNewEgress()
                    .addNewPort()
                    .withProtocol("UDP")
                    .withNewPort(53)
                    .endPort()
                    .endEgress()
                    .endSpec()
                    .build())
            .create();
    String replaced = sample.podNames().get(0);
    client().pods().inNamespace(namespace()).withName(replaced).delete();
    Pod fresh =
        await("the replacement of " + replaced + " running its app")
            .until(
                () ->
                    sample.pods().stream()
                        .filter(
                            p ->
                                !p.getMetadata().getName().equals(replaced)
                                    && appStartedAt(p) != null
                                    && Instant.parse(p.getMetadata().getCreationTimestamp())
                                        .isAfter(
                                            Instant.parse(
                                                    isolate.getMetadata().getCreationTimestamp())
                                                .minusSeconds(1)))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    ContainerStateTerminated init = initTerminated(fresh);
    Duration held =
        Duration.between(Instant.parse(init.getStartedAt()), Instant.parse(init.getFinishedAt()));
    System.out.printf(
        "init step of %s with the channel unreachable: held the app %d s%n",
        fresh.getMetadata().getName(), held.toSeconds());
    assertThat(init.getExitCode()).isZero();
    assertThat(held).isBetween(BOUND.minusSeconds(1), BOUND.plusSeconds(15));
    assertThat(initLog(fresh.getMetadata().getName()))
        .contains("started without startup bundles: operator unreachable");

    client().resource(isolate).delete();
    await("status of " + fresh.getMetadata().getName() + " says the bundles were missing")
        .until(
            () ->
                HotPatches.pod(status(PATCH), fresh.getMetadata().getName())
                    .map(
                        p ->
                            p.getMessage() != null
                                && p.getMessage().startsWith("started without startup bundles"))
                    .orElse(false));
  }

  private static Map<String, String> initEnv(Pod pod) {
    List<EnvVar> env =
        pod.getSpec().getInitContainers().stream()
            .filter(c -> INIT.equals(c.getName()))
            .findFirst()
            .orElseThrow()
            .getEnv();
    return env.stream()
        .filter(e -> e.getValue() != null)
        .collect(java.util.stream.Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static String initLog(String pod) {
    return client().pods().inNamespace(namespace()).withName(pod).inContainer(INIT).getLog();
  }

  private static ContainerStateTerminated initTerminated(Pod pod) {
    return pod.getStatus().getInitContainerStatuses().stream()
        .filter(s -> INIT.equals(s.getName()))
        .map(s -> s.getState().getTerminated())
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElseGet(ContainerStateTerminated::new);
  }

  private static Instant appStartedAt(Pod pod) {
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> SampleService.CONTAINER.equals(s.getName()))
        .map(ContainerStatus::getState)
        .filter(s -> s.getRunning() != null)
        .map(s -> Instant.parse(s.getRunning().getStartedAt()))
        .findFirst()
        .orElse(null);
  }
}
