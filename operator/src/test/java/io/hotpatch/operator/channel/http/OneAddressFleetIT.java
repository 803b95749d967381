package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.operator.OperatorOnMockApi;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Many sidecars with good tokens behind one address (SNAT, or the fleet bench) connect at once
 * under the production budget of refused reviews: none is told its token is bad.
 */
@OperatorOnMockApi
@TestProfile(OneAddressFleetIT.ProductionReviewBudget.class)
class OneAddressFleetIT extends ChannelTestSupport {
  private static final int SIDECARS = 200;
  private static final int BATCH = 50;

  /** The production budget: 10 refused reviews a minute per source address. */
  public static class ProductionReviewBudget implements QuarkusTestProfile {
    @Override
    public Map<String, String> getConfigOverrides() {
      return Map.of("hotpatch.channel.refused-reviews-per-source", "10");
    }
  }

  @Test
  void goodTokensFromOneAddressAreReviewedInTurnNotRefused() {
    List<Pod> pods =
        IntStream.range(0, SIDECARS)
            .mapToObj(
                i -> sidecarPod(String.format("checkout-%04d", i), APP, "10.1.0." + (i % 250)))
            .toList();

    // 50 at a time, well above the 10 reviews an address may have under way: more simultaneous TLS
    // handshakes on two shared cores would only test the handshakes.
    Map<Integer, Long> statuses = new java.util.TreeMap<>();
    for (int batch = 0; batch < SIDECARS; batch += BATCH) {
      List<CompletableFuture<HttpResponse<String>>> polls =
          pods.subList(batch, batch + BATCH).stream()
              .map(
                  pod ->
                      sidecar.desiredAsync(
                          namespace,
                          pod.getMetadata().getName(),
                          TokenReviews.podToken(pod),
                          null,
                          1))
              .toList();
      polls.stream()
          .map(CompletableFuture::join)
          .forEach(r -> statuses.merge(r.statusCode(), 1L, Long::sum));
    }

    assertThat(statuses)
        .as("answers to %d sidecars from one address", SIDECARS)
        .containsOnlyKeys(200);
    assertThat(channelLog).noneMatch(line -> line.contains("too many refused tokens"));
  }
}
