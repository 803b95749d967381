package io.hotpatch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.operator.OperatorOnMockApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The CRD committed in crds/ is the one the model generates (Quarkus writes it into
 * target/kubernetes/ when it builds the app for the tests), and its schema refuses bad input.
 */
@OperatorOnMockApi
class CrdIT {
  private static final String FILE = "hotpatches.hotpatch.io-v1.yml";
  private static final Path GENERATED = Paths.get("target", "kubernetes", FILE);
  private static final Path COMMITTED =
      Paths.get(System.getProperty("hotpatch.crds.dir", "../crds"), FILE);

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    assertThat(GENERATED).exists();
    assertThat(COMMITTED)
        .as("crds/%s is missing: copy %s there", FILE, GENERATED.toAbsolutePath())
        .exists();
    assertThat(Files.readString(COMMITTED))
        .as(
            "crds/%s is stale: copy operator/target/kubernetes/%s over it and commit it",
            FILE, FILE)
        .isEqualTo(Files.readString(GENERATED));
  }

  @Test
  void schemaRefusesBadInputAndDescribesEveryField() throws Exception {
    CustomResourceDefinition crd =
        Serialization.unmarshal(Files.readString(COMMITTED), CustomResourceDefinition.class);
    CustomResourceDefinitionVersion version = crd.getSpec().getVersions().get(0);
    JSONSchemaProps spec = version.getSchema().getOpenAPIV3Schema().getProperties().get("spec");

    assertThat(crd.getSpec().getNames().getShortNames()).containsExactly("hp");
    assertThat(version.getSubresources().getStatus()).isNotNull();
    assertThat(version.getAdditionalPrinterColumns())
        .extracting(c -> c.getName())
        .containsExactlyInAnyOrder("Ready", "Patched", "Mode", "Age");
    assertThat(spec.getRequired()).containsExactlyInAnyOrder("selector", "bundle");
    assertThat(spec.getProperties().get("selector").getXKubernetesValidations()).hasSize(1);
    JSONSchemaProps bundle = spec.getProperties().get("bundle");
    assertThat(bundle.getRequired()).containsExactlyInAnyOrder("configMapRef", "sha256");
    assertThat(bundle.getProperties().get("sha256").getPattern()).isEqualTo("^[0-9a-f]{64}$");
    JSONSchemaProps strategy = spec.getProperties().get("strategy");
    assertThat(strategy.getProperties().get("mode").getEnum())
        .extracting(Object::toString)
        .containsExactlyInAnyOrder("\"Auto\"", "\"HotOnly\"", "\"RestartOnly\"");
    assertThat(spec.getProperties().get("onDelete").getEnum()).hasSize(2);
    assertThat(strategy.getProperties().get("maxParallel").getXKubernetesValidations()).hasSize(1);
    JSONSchemaProps canary = strategy.getProperties().get("canary");
    assertThat(canary.getProperties().get("pods").getMinimum()).isZero();
    assertThat(canary.getProperties().get("soakSeconds").getMinimum()).isZero();
    assertDescribed("", version.getSchema().getOpenAPIV3Schema());
  }

  /**
   * Every property, down to list items, says what it is for: `kubectl explain` shows nothing else.
   */
  private static void assertDescribed(String path, JSONSchemaProps schema) {
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      assertDescribed(path + "[]", schema.getItems().getSchema());
    }
    Map<String, JSONSchemaProps> properties = schema.getProperties();
    if (properties == null) {
      return;
    }
    properties.forEach(
        (name, child) -> {
          String childPath = path.isEmpty() ? name : path + "." + name;
          assertThat(child.getDescription()).as("description of %s", childPath).isNotBlank();
          assertDescribed(childPath, child);
        });
  }
}
