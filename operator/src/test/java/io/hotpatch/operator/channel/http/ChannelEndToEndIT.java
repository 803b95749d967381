package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.channel.PatchKey;
import io.hotpatch.operator.channel.PodReport;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
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
