package io.hotpatch.helm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The chart ships exactly the CRDs committed in crds/, and helm installs them. */
class CrdTest {
  private static final Path REPO_CRDS = Helm.REPO_ROOT.resolve("crds");
  private static final Path CHART_CRDS = Helm.CHART.resolve("crds");
  private static final String FIX = "copy them: cp crds/*.yml helm/hotpatch-operator/crds/";

  @Test
  void chartCrdsAreTheCommittedCrds() throws IOException {
    List<String> committed = names(REPO_CRDS);
    assertThat(committed).as("CRDs in crds/").isNotEmpty();
    assertThat(names(CHART_CRDS))
        .as("the chart's CRDs differ from crds/; " + FIX)
        .isEqualTo(committed);
    for (String name : committed) {
      assertThat(Files.readString(CHART_CRDS.resolve(name)))
          .as("helm/hotpatch-operator/crds/%s is stale; %s", name, FIX)
          .isEqualTo(Files.readString(REPO_CRDS.resolve(name)));
    }
  }

  @Test
  void helmRendersTheHotPatchCrd() {
    JsonNode crd = Helm.render("--include-crds").one("CustomResourceDefinition");

    assertThat(crd.at("/metadata/name").asText()).isEqualTo("hotpatches.hotpatch.io");
    assertThat(crd.at("/spec/scope").asText()).isEqualTo("Namespaced");
    assertThat(crd.at("/spec/names/shortNames/0").asText()).isEqualTo("hp");
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }
}
