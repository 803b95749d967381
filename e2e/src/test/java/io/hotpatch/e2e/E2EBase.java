package io.hotpatch.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.sample.SampleVersion;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Base of every *E2E class (after Keycloak's BaseOperatorTest): a real K3s cluster with the chart
 * installed, a fresh namespace per class opted in to injection, a dump of pods, logs, Events and
 * HotPatch status on failure, and Awaitility defaults sized for a cluster. Skipped without -De2e or
 * Docker.
 */
@ExtendWith(E2EEnabled.class)
public abstract class E2EBase {
  @RegisterExtension static final E2EExtension E2E = new E2EExtension();

  static KubernetesClient client() {
    return E2E.client();
  }

  static String namespace() {
    return E2E.namespace();
  }

  /**
   * Deploys the sample service (v1) with {@code replicas} pods and waits until each one answers.
   */
  static SampleService deploySample(int replicas) {
    SampleService sample = new SampleService(client(), namespace());
    sample.deploy(SampleService.image(E2E.cluster()), replicas, E2E.workDir().resolve("sample"));
    return sample;
  }

  /**
   * The sample service (v1) in pods the webhook did not inject, as a fleet that ran before its
   * namespace opted in.
   */
  static SampleService deployUninjectedSample(int replicas) {
    SampleService sample = new SampleService(client(), namespace()).notInjected();
    sample.deploy(SampleService.image(E2E.cluster()), replicas, E2E.workDir().resolve("sample"));
    return sample;
  }

  /**
   * Builds the bundle from v1 to {@code to} with `hotpatch diff` and publishes it in this
   * namespace.
   */
  static PatchBundle publishBundle(SampleVersion to, String configMap) {
    PatchBundle bundle = PatchBundle.diff(E2E.workDir(), SampleVersion.V1_BUGGY, to, configMap);
    bundle.publish(client(), namespace());
    return bundle;
  }

  /** The example HotPatch, in this namespace, for {@code bundle}. */
  static HotPatchManifest manifest(String name, PatchBundle bundle) {
    return HotPatchManifest.fromExample(K3sCluster.repo(), namespace(), name, bundle);
  }

  static void apply(HotPatchManifest manifest) {
    HotPatches.apply(client(), manifest.resource());
  }

  static HotPatchStatus status(String name) {
    return HotPatches.status(client(), namespace(), name);
  }

  static long generation(String name) {
    return HotPatches.get(client(), namespace(), name).getMetadata().getGeneration();
  }

  /** Waits until the HotPatch is Ready for its current generation with every target pod patched. */
  static HotPatchStatus awaitReady(String name, int targetPods) {
    await("HotPatch " + name + " Ready with " + targetPods + " pods patched")
        .until(
            () -> {
              HotPatchStatus status = status(name);
              return HotPatches.isReady(status, generation(name))
                  && Integer.valueOf(targetPods).equals(status.getTargetPods())
                  && Integer.valueOf(targetPods).equals(status.getPatchedPods());
            });
    HotPatchStatus status = status(name);
    assertThat(status.getFailedPods()).as("failed pods in %s", status).isIn(null, 0);
    return status;
  }

  /** Asserts that every pod in {@code status} applied the patch by {@code method}. */
  static void assertEveryPodApplied(HotPatchStatus status, String method) {
    assertThat(status.getPods())
        .allSatisfy(
            pod -> {
              assertThat(pod.getState())
                  .as("state of %s", pod.getName())
                  .isEqualTo(ResultState.APPLIED);
              assertThat(pod.getMethod()).as("method of %s", pod.getName()).isEqualTo(method);
            });
  }
}
