package io.hotpatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The mock API's additions: server-side apply (applied fields win, objects merge, lists are
 * replaced, never appended) and TokenReviews for the tokens it issued.
 */
class MockApiServerTest {
  private final MockApiServer api = MockApiServer.start();
  private final KubernetesClient client = api.client();

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void appliedFieldsAreLaidOverTheStoredObject() {
    client
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("settings")
                .withNamespace("fleet")
                .withLabels(Map.of("app", "checkout"))
                .withFinalizers("a/keep")
                .endMetadata()
                .withData(Map.of("kept", "1", "changed", "old"))
                .build())
        .create();

    for (int i = 0; i < 2; i++) { // a second identical apply changes nothing
      client
          .resource(
              new ConfigMapBuilder()
                  .withNewMetadata()
                  .withName("settings")
                  .withNamespace("fleet")
                  .withFinalizers("a/keep", "b/added")
                  .endMetadata()
                  .withData(Map.of("changed", "new"))
                  .build())
          .fieldManager("hotpatch")
          .forceConflicts()
          .serverSideApply();
    }

    ConfigMap stored = client.configMaps().inNamespace("fleet").withName("settings").get();
    assertThat(stored.getData()).isEqualTo(Map.of("kept", "1", "changed", "new"));
    assertThat(stored.getMetadata().getLabels()).isEqualTo(Map.of("app", "checkout"));
    assertThat(stored.getMetadata().getFinalizers()).isEqualTo(List.of("a/keep", "b/added"));
  }

  @Test
  void tokenReviewsAnswerOnlyTheTokensIssued() {
    String token = api.issueToken("fleet", "checkout-0001", "uid-1");

    assertThat(review(token).getStatus().getAuthenticated()).isTrue();
    assertThat(review(token).getStatus().getUser().getExtra())
        .containsEntry("authentication.kubernetes.io/pod-name", List.of("checkout-0001"))
        .containsEntry("authentication.kubernetes.io/pod-uid", List.of("uid-1"));
    assertThat(review("forged").getStatus().getAuthenticated()).isFalse();
  }

  private TokenReview review(String token) {
    return client
        .resource(
            new TokenReviewBuilder()
                .withNewSpec()
                .withToken(token)
                .withAudiences(MockApiServer.AUDIENCE)
                .endSpec()
                .build())
        .create();
  }
}
