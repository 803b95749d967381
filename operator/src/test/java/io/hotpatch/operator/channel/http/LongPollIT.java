package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.TestBundles;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Long polls: a new HotPatch reaches a waiting sidecar at once; without news it gets its state
 * back.
 */
@OperatorOnMockApi
class LongPollIT extends ChannelTestSupport {
  private Pod pod;
  private String token;

  @BeforeEach
  void podWithSidecar() {
    pod = sidecarPod("checkout-a", APP, "127.0.0.31");
    token = TokenReviews.podToken(pod);
  }

  @Test
  void aWaitingSidecarGetsANewHotPatchAsSoonAsTheReconcilerPublishesIt() {
    DesiredState empty =
        SidecarClient.state(sidecar.desired(namespace, "checkout-a", token, null, 1));
    assertThat(empty.getPatches()).isEmpty();
    AtomicLong publishedAt = new AtomicLong();
    sidecars.onDesiredChange(
        uid -> {
          if (uid.equals(pod.getMetadata().getUid())) {
            publishedAt.compareAndSet(0, System.nanoTime());
          }
        });
    CompletableFuture<HttpResponse<String>> poll =
        sidecar.desiredAsync(namespace, "checkout-a", token, empty.getRevision(), 60);
    eventually().until(() -> broadcaster.waiting() == 1);
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));

    long createdAt = System.nanoTime();
    hotPatch("fix", sha, spec -> {});
    HttpResponse<String> response = poll.orTimeout(30, TimeUnit.SECONDS).join();
    long answeredAt = System.nanoTime();

    assertThat(response.statusCode()).isEqualTo(200);
    DesiredState state = SidecarClient.state(response);
    assertThat(state.getRevision()).isNotEqualTo(empty.getRevision());
    assertThat(state.getPatches()).extracting(p -> p.getSha256()).containsExactly(sha);
    System.out.printf(
        "long poll: HotPatch created -> published %d ms, published -> sidecar answered %d ms%n",
        Duration.ofNanos(publishedAt.get() - createdAt).toMillis(),
        Duration.ofNanos(answeredAt - publishedAt.get()).toMillis());
  }

  @Test
  void withoutNewsTheWaitEndsWithTheUnchangedState() throws Exception {
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> {});
    eventually().until(() -> !sidecars.desiredFor(pod.getMetadata().getUid()).isEmpty());
    DesiredState current =
        SidecarClient.state(sidecar.desired(namespace, "checkout-a", token, null, 1));

    long start = System.nanoTime();
    CompletableFuture<HttpResponse<String>> poll =
        sidecar.desiredAsync(namespace, "checkout-a", token, current.getRevision(), 2);
    eventually().until(() -> broadcaster.waiting() == 1);
    assertThat(metrics()).contains("hotpatch_channel_polls_waiting 1.0");
    DesiredState after = SidecarClient.state(poll.join());

    assertThat(after.getRevision()).isEqualTo(current.getRevision());
    assertThat(after.getPatches()).extracting(p -> p.getSha256()).containsExactly(sha);
    assertThat(broadcaster.waiting()).isZero();
    assertThat(metrics()).contains("hotpatch_channel_polls_waiting 0.0");
    System.out.printf(
        "long poll without news answered after %d ms (waitSeconds=2)%n",
        Duration.ofNanos(System.nanoTime() - start).toMillis());
  }

  @Test
  void anOutdatedRevisionIsAnsweredAtOnce() {
    DesiredState state =
        SidecarClient.state(sidecar.desired(namespace, "checkout-a", token, "outdated", 60));

    assertThat(state.getRevision()).isNotEqualTo("outdated");
    assertThat(broadcaster.waiting()).isZero();
  }

  @Test
  void aWaitOutsideOneToSixtySecondsIsRefused() {
    HttpResponse<String> response = sidecar.desired(namespace, "checkout-a", token, null, 600);

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("waitSeconds=600 is out of range: use 1..60");
  }

  /** The Prometheus text the management interface serves. */
  private String metrics() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(management.resolve("/q/metrics")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
