package io.hotpatch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.hotpatch.core.PatchManifests;
import io.hotpatch.operator.OperatorOnMockApi;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code hotpatch manifests} writes passes the CRD's own schema (the committed
 * openAPIV3Schema, checked with a JSON-schema validator, since no API server is here to validate)
 * and, applied as it is, makes the operator patch the selected pods.
 */
@OperatorOnMockApi
class ManifestsIT extends OperatorTestSupport {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Path CRD =
      Path.of(System.getProperty("hotpatch.crds.dir", "../crds"), "hotpatches.hotpatch.io-v1.yml");

  @Test
  void theHotPatchPassesTheCrdSchemaAndABrokenOneDoesNot() throws Exception {
    JsonSchema schema = crdSchema();
    List<JsonNode> documents =
        documents(manifests("fix-price", 1).yaml(TestBundles.priceFix(1), "fix.jar"));
    JsonNode hotPatch = documents.get(1);

    assertThat(documents)
        .extracting(d -> d.get("kind").asText())
        .containsExactly("ConfigMap", "HotPatch");
    assertThat(schema.validate(hotPatch)).isEmpty();
    ((ObjectNode) hotPatch.get("spec").get("bundle")).put("sha256", "not-a-sha");
    assertThat(schema.validate(hotPatch)).isNotEmpty();
  }

  @Test
  void appliedAsWrittenTheOperatorPatchesTheSelectedPods() throws Exception {
    pod("checkout-1");
    pod("checkout-2");
    String yaml = manifests("fix-price", 1).yaml(TestBundles.priceFix(2), "fix.jar");

    for (HasMetadata resource :
        client.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
      client.resource(resource).create();
    }

    ConfigMap bundle =
        client.configMaps().inNamespace(namespace).withName("fix-price-bundle").get();
    assertThat(bundle.getBinaryData()).containsKey("bundle.jar");
    eventually()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () -> assertThat(conditionIs("fix-price", "Ready", "True", "AllPodsPatched")).isTrue());
    assertThat(get("fix-price").getStatus().getPods())
        .extracting(p -> p.getWave())
        .containsExactly(0, 1);
  }

  private PatchManifests manifests(String name, int canaryPods) {
    return new PatchManifests(namespace, name, APP, "Auto", canaryPods, 0, "app");
  }

  private static JsonSchema crdSchema() throws Exception {
    JsonNode crd = YAML.readTree(CRD.toFile());
    JsonNode openApi = crd.get("spec").get("versions").get(0).get("schema").get("openAPIV3Schema");
    return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(openApi);
  }

  private static List<JsonNode> documents(String yaml) throws Exception {
    List<JsonNode> documents = new ArrayList<>();
    try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
      YAML.readValues(parser, JsonNode.class).forEachRemaining(documents::add);
    }
    return documents;
  }
}
