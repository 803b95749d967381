package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.Sha256;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.PatchKey;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * 1,000 sidecars long-poll the operator at once, and the operator holds them without a thread each.
 */
@OperatorOnMockApi
class ManySidecarsIT extends ChannelTestSupport {
  private static final int SIDECARS = 1000;
  private static final int BATCH = 100;

  @Test
  void aThousandWaitingSidecarsHoldNoThreadEach() throws Exception {
    long creating = System.nanoTime();
    List<Pod> pods = createPods();
    long podsCreated = System.nanoTime();
    List<String> tokens = pods.stream().map(TokenReviews::podToken).toList();
    String emptyRevision =
        SidecarClient.state(sidecar.desired(namespace, name(pods.get(0)), tokens.get(0), null, 1))
            .getRevision();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int threadsBefore = threads.getThreadCount();
    long start = System.nanoTime();

    // Connect in batches, as a fleet does: a thousand simultaneous TLS handshakes on two cores
    // would
    // only measure the handshakes.
    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    for (int batch = 0; batch < SIDECARS; batch += BATCH) {
      IntStream.range(batch, batch + BATCH)
          .forEach(
              i ->
                  polls.add(
                      sidecar.desiredAsync(
                          namespace, name(pods.get(i)), tokens.get(i), emptyRevision, 60)));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () -> {
                assertThat(polls)
                    .as("no long poll may end before its pod gets news")
                    .noneMatch(CompletableFuture::isDone);
                return broadcaster.waiting() == polls.size();
              });
    }
    long allWaiting = System.nanoTime();
    int threadsWhileWaiting = threads.getThreadCount();

    String sha = Sha256.hex(TestBundles.priceFix(1));
    pods.forEach(
        pod ->
            sidecars.publish(
                ref(pod),
                new DesiredPatch(
                    new PatchKey(namespace, "fix"),
                    "uid-1",
                    sha,
                    TestBundles.priceFix(1),
                    DesiredPatch.Action.APPLY,
                    true)));
    CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    long allAnswered = System.nanoTime();

    assertThat(threadsWhileWaiting)
        .as("live JVM threads while %d long polls wait", SIDECARS)
        .isLessThan(200);
    assertThat(polls)
        .allSatisfy(
            poll -> {
              HttpResponse<String> response = poll.join();
              assertThat(response.statusCode()).isEqualTo(200);
              assertThat(SidecarClient.state(response).getPatches())
                  .extracting(p -> p.getSha256())
                  .containsExactly(sha);
            });
    System.out.printf(
        "%d sidecars: pods created in %d ms; all waiting after %d ms (TLS handshake, TokenReview"
            + " and pod lookup each); live JVM threads %d before, %d while all wait; publish -> all answered in"
            + " %d ms%n",
        SIDECARS,
        Duration.ofNanos(podsCreated - creating).toMillis(),
        Duration.ofNanos(allWaiting - start).toMillis(),
        threadsBefore,
        threadsWhileWaiting,
        Duration.ofNanos(allAnswered - allWaiting).toMillis());
  }

  private List<Pod> createPods() {
    ExecutorService creators = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Pod>> created =
          IntStream.range(0, SIDECARS)
              .mapToObj(
                  i ->
                      CompletableFuture.supplyAsync(
                          () -> {
                            String name = String.format("checkout-%04d", i);
                            sidecars.behave(namespace, name).silent();
                            return pod(namespace, name, APP, null, Map.of());
                          },
                          creators))
              .toList();
      return created.stream().map(CompletableFuture::join).toList();
    } finally {
      creators.shutdown();
    }
  }

  private static String name(Pod pod) {
    return pod.getMetadata().getName();
  }
}
