package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.channel.InformedPods;
import jakarta.inject.Inject;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A connecting sidecar's pod is read from the operator's pod informer, not fetched: a reconnect
 * storm of a large fleet costs the API server one TokenReview per sidecar, not also a GET.
 */
@OperatorOnMockApi
class InformedPodIdentityIT extends ChannelTestSupport {
  private static final String NAME = "checkout-informed";

  @Inject InformedPods informedPods;

  @Test
  void aPodTheInformerHoldsIsNotFetchedFromTheApiServer() throws InterruptedException {
    Pod pod = sidecarPod(NAME, APP, "127.0.0.21");
    eventually()
        .until(
            () ->
                informedPods
                    .get(namespace, NAME)
                    .filter(p -> p.getMetadata().getUid().equals(pod.getMetadata().getUid()))
                    .isPresent());
    recordedRequests();

    HttpResponse<String> answer =
        sidecar.desired(namespace, NAME, TokenReviews.podToken(pod), null, 1);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(recordedRequests())
        .as("requests to the API server while the sidecar connected")
        .anyMatch(r -> r.startsWith("POST /apis/authentication.k8s.io/v1/tokenreviews"))
        .noneMatch(r -> r.startsWith("GET ") && r.contains("/pods/" + NAME));
  }

  /** The requests the mock API server received since the last call, as "METHOD path". */
  private List<String> recordedRequests() throws InterruptedException {
    List<String> requests = new ArrayList<>();
    for (RecordedRequest r;
        (r = apiServer.getKubernetesMockServer().takeRequest(10, TimeUnit.MILLISECONDS))
            != null; ) {
      requests.add(r.getMethod() + " " + r.getPath());
    }
    return requests;
  }
}
