package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.PodReport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A HotPatch through the real channel: the test plays two pods' sidecars over HTTPS (desired state,
 * bundle, report) and the HotPatch becomes Ready with an entry per pod.
 */
@OperatorOnMockApi
class ChannelEndToEndIT extends ChannelTestSupport {

  @Test
  void sidecarsThatApplyThePatchMakeTheHotPatchReady() {
    List<Pod> pods =
        List.of(
            sidecarPod("checkout-a", APP, "127.0.0.41"),
            sidecarPod("checkout-b", APP, "127.0.0.42"));
    byte[] bundle = TestBundles.priceFix(1);
    String sha = bundleConfigMap("fix-bundle", bundle);
    long start = System.nanoTime();

    hotPatch("fix", sha, spec -> {});

    for (Pod pod : pods) {
      String name = pod.getMetadata().getName();
      String token = TokenReviews.podToken(pod);
      DesiredState state = awaitPatches(name, token);
      PatchOrder order = state.getPatches().get(0);
      assertThat(order.getPatch()).isEqualTo(namespace + "/fix");
      assertThat(order.getAction()).isEqualTo(PatchOrder.Action.APPLY);
      HttpResponse<byte[]> jar = sidecar.bundle(namespace, name, token, order.getSha256());
      assertThat(jar.statusCode()).isEqualTo(200);
      assertThat(Sha256.hex(jar.body())).isEqualTo(sha).isEqualTo(order.getSha256());
      assertThat(jar.body()).isEqualTo(bundle);

      HttpResponse<String> posted =
          sidecar.report(namespace, name, token, applied(order.getPatch(), sha));

      assertThat(posted.statusCode()).isEqualTo(204);
      PodReport stored = sidecars.report(ref(pod), new PatchKey(namespace, "fix")).orElseThrow();
      assertThat(stored.sha256()).isEqualTo(sha);
      assertThat(stored.state()).isEqualTo(ResultState.APPLIED);
      assertThat(stored.method()).isEqualTo(io.hotpatch.core.PatchMethod.HOT);
      assertThat(stored.jvmStartedAt()).isNotNull();
    }

    awaitCondition("fix", "Ready", "True", "AllPodsPatched");
    HotPatch ready = get("fix");
    assertThat(ready.getStatus().getPatched()).isEqualTo("2/2");
    assertThat(ready.getStatus().getPods())
        .extracting(p -> p.getName())
        .containsExactly("checkout-a", "checkout-b");
    assertThat(ready.getStatus().getPods())
        .allSatisfy(
            p -> {
              assertThat(p.getState()).isEqualTo(ResultState.APPLIED);
              assertThat(p.getMethod()).isEqualTo("Hot");
              assertThat(p.getMessage()).isEqualTo("redefined 1 class");
            });
    System.out.printf(
        "channel end to end: HotPatch created -> Ready with 2 pods over HTTPS in %d ms%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  /**
   * A replica that took over, or restarted, knows only the pods its status listed: a pod whose JVM
   * already runs the patch tells it so in its report, and is admitted as patched before its wave,
   * so that its sidecar keeps the patch's startup bundle.
   */
  @Test
  void aPodThatReportsThePatchBeforeItsWaveIsAdmittedAsPatched() {
    List<Pod> pods =
        List.of(
            sidecarPod("checkout-c", APP, "127.0.0.43"),
            sidecarPod("checkout-d", APP, "127.0.0.44"));
    String sha = bundleConfigMap("takeover-bundle", TestBundles.priceFix(1));
    HotPatch created =
        hotPatch("takeover", sha, spec -> spec.getStrategy().setCanary(canaryOf(1, 600)));
    String patch = namespace + "/takeover";
    Pod canary =
        slow()
            .until(
                () ->
                    pods.stream()
                        .filter(pod -> !desiredNow(pod).getPatches().isEmpty())
                        .findFirst(),
                Optional::isPresent)
            .orElseThrow();
    Pod later = pods.get(0) == canary ? pods.get(1) : pods.get(0);
    String laterToken = TokenReviews.podToken(later);
    assertThat(
            sidecar
                .report(
                    namespace,
                    canary.getMetadata().getName(),
                    TokenReviews.podToken(canary),
                    applied(patch, sha))
                .statusCode())
        .isEqualTo(204);
    awaitCondition("takeover", "Progressing", "True", "CanarySoaking");
    assertThat(desiredNow(later).getPatches()).as("not in the canary wave").isEmpty();

    var runsIt = applied(patch, sha);
    runsIt.setOutcomes(
        List.of(
            new PatchOutcome(
                patch,
                created.getMetadata().getUid(),
                sha,
                ResultState.APPLIED,
                io.hotpatch.core.PatchMethod.HOT,
                "redefined 1 class")));
    HttpResponse<String> posted =
        sidecar.report(namespace, later.getMetadata().getName(), laterToken, runsIt);

    assertThat(posted.statusCode()).isEqualTo(204);
    assertThat(sidecars.report(ref(later), new PatchKey(namespace, "takeover")))
        .hasValueSatisfying(stored -> assertThat(stored.state()).isEqualTo(ResultState.APPLIED));
    PatchOrder order = awaitPatches(later.getMetadata().getName(), laterToken).getPatches().get(0);
    assertThat(order.getAction()).isEqualTo(PatchOrder.Action.APPLY);
    assertThat(order.getSha256()).isEqualTo(sha);
    slow().until(() -> "2/2".equals(get("takeover").getStatus().getPatched()));

    // A HotPatch of another namespace is none of this pod's business, whatever uid it names.
    String elsewhere = namespace + "-other";
    HotPatch foreign =
        client
            .resource(OperatorTestSupport.newHotPatch(elsewhere, "fix", sha, spec -> {}))
            .create();
    slow()
        .until(
            () ->
                client
                        .resources(HotPatch.class)
                        .inNamespace(elsewhere)
                        .withName("fix")
                        .get()
                        .getStatus()
                    != null);
    runsIt.setOutcomes(
        List.of(
            new PatchOutcome(
                elsewhere + "/fix",
                foreign.getMetadata().getUid(),
                sha,
                ResultState.APPLIED,
                io.hotpatch.core.PatchMethod.HOT,
                "redefined 1 class")));
    assertThat(
            sidecar
                .report(namespace, later.getMetadata().getName(), laterToken, runsIt)
                .statusCode())
        .isEqualTo(204);
    assertThat(sidecars.report(ref(later), new PatchKey(elsewhere, "fix"))).isEmpty();
  }

  private DesiredState desiredNow(Pod pod) {
    HttpResponse<String> response =
        sidecar.desired(
            namespace, pod.getMetadata().getName(), TokenReviews.podToken(pod), null, 1);
    assertThat(response.statusCode()).isEqualTo(200);
    return SidecarClient.state(response);
  }

  /** Long-polls as a sidecar does until its pod's desired state lists a patch. */
  private DesiredState awaitPatches(String pod, String token) {
    String revision = null;
    for (int poll = 0; poll < 10; poll++) {
      HttpResponse<String> response = sidecar.desired(namespace, pod, token, revision, 10);
      assertThat(response.statusCode()).isEqualTo(200);
      DesiredState state = SidecarClient.state(response);
      if (!state.getPatches().isEmpty()) {
        return state;
      }
      revision = state.getRevision();
    }
    throw new AssertionError("no patch reached " + pod + " in 10 long polls");
  }
}
