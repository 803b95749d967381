package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Prometheus metrics and health endpoints of the running operator, on its management interface
 * (root /q).
 */
@OperatorOnMockApi
class ObservabilityIT extends OperatorTestSupport {
  @TestHTTPResource(value = "/metrics", management = true)
  URL metrics;

  @TestHTTPResource(value = "/health/ready", management = true)
  URL ready;

  @TestHTTPResource(value = "/health/live", management = true)
  URL live;

  @Test
  void patchedPodsFailuresAndTimeToReadyAreExported() throws Exception {
    pod("checkout-a");
    pod("checkout-b");
    sidecars.behave(namespace, "checkout-b").result(ResultState.PRECONDITION_FAILED);
    pod(namespace, "other", java.util.Map.of("app", "other"), null, java.util.Map.of());
    String sha = bundleConfigMap("fix-bundle", TestBundles.priceFix(1));
    hotPatch("fix", sha, spec -> {});
    awaitCondition("fix", "Degraded", "True", "RolloutHalted");

    String text = get(metrics).body();
    String ours = "[^}]*namespace=\"" + namespace + "\"[^}]*";
    assertThat(text).containsPattern("hotpatch_pods_patched_total\\{" + ours + "\\} 1\\.0");
    assertThat(text)
        .containsPattern(
            "hotpatch_pod_failures_total\\{"
                + ours
                + "state=\"PRECONDITION_FAILED\"[^}]*\\} 1\\.0");
  }

  @Test
  void timeToReadyIsAHistogram() throws Exception {
    pod("checkout-a");
    fixReady();

    eventually()
        .untilAsserted(
            () ->
                assertThat(get(metrics).body()).contains("hotpatch_time_to_ready_seconds_bucket"));
  }

  @Test
  void healthEndpointsAnswerUp() throws Exception {
    HttpResponse<String> readiness = get(ready);
    HttpResponse<String> liveness = get(live);

    assertThat(readiness.statusCode()).isEqualTo(200);
    assertThat(readiness.body()).contains("\"status\": \"UP\"");
    assertThat(liveness.statusCode()).isEqualTo(200);
  }

  private static HttpResponse<String> get(URL url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url.toString())).build(),
            HttpResponse.BodyHandlers.ofString());
  }
}
