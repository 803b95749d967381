package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The sample workload in examples/ is one the webhook injects, and the result stays restricted. */
class ExampleWorkloadTest {
  @Test
  void checkoutPodTemplateGetsTheSidecarAndPassesTheRestrictedStandard() throws Exception {
    ObjectNode pod = checkoutPod();

    Injection injection = new PodInjector(Reviews.settings()).inject("CREATE", "shop", pod);

    assertThat(injection.injected()).as(injection.patch().toString()).isTrue();
    JsonNode patched = Reviews.apply(injection.patch(), pod);
    assertThat(
            RestrictedPodSecurity.violations(
                patched, List.of("app", "hotpatch-init", "hotpatch-sidecar")))
        .isEmpty();
    assertThat(patched.at("/spec/containers/0/env").toString()).contains("JAVA_TOOL_OPTIONS");
  }

  private static ObjectNode checkoutPod() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    try (MappingIterator<JsonNode> documents =
        yaml.readerFor(JsonNode.class)
            .readValues(Path.of("..", "examples", "checkout.yaml").toFile())) {
      List<JsonNode> all = documents.readAll();
      JsonNode deployment =
          all.stream()
              .filter(d -> "Deployment".equals(d.path("kind").asText()))
              .findFirst()
              .orElseThrow();
      ObjectNode pod = yaml.createObjectNode();
      pod.put("apiVersion", "v1").put("kind", "Pod");
      pod.set("metadata", deployment.at("/spec/template/metadata").deepCopy());
      ((ObjectNode) pod.get("metadata")).put("namespace", "shop");
      pod.set("spec", deployment.at("/spec/template/spec").deepCopy());
      return pod;
    }
  }
}
