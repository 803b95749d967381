package io.hotpatch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.api.v1alpha1.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Every reason the operator writes is listed in README's table of reasons, and nothing else is. */
class ReasonsDocumentedTest {
  @Test
  void readmeListsEveryReason() throws IOException {
    String readme = Files.readString(Path.of("..", "README.md"));
    String table = readme.substring(readme.indexOf("### Reasons"), readme.indexOf("## Security"));

    assertThat(Arrays.stream(Reason.values()).map(r -> "| `" + r.name() + "` |"))
        .allSatisfy(row -> assertThat(table).contains(row));
    assertThat(table.lines().filter(line -> line.startsWith("| `")))
        .hasSize(Reason.values().length);
  }
}
