package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The agent flags are appended to the user's JAVA_TOOL_OPTIONS, never replace it, and are added
 * once.
 */
class JavaToolOptionsTest {

  @Test
  void flagsPutIgnoreUnrecognizedFirstAndLoadTheAgentFromTheSharedVolume() {
    assertThat(JavaToolOptions.FLAGS)
        .isEqualTo(
            "-XX:+IgnoreUnrecognizedVMOptions -XX:+EnableDynamicAgentLoading "
                + "-javaagent:/hotpatch/agent/hotpatch-agent.jar=bundles=/hotpatch/bundles&socket=/hotpatch/run");
  }

  @Test
  void appendsAfterTheUsersValue() {
    assertThat(JavaToolOptions.append("-Xmx1g -Dfoo=\"a b\""))
        .isEqualTo("-Xmx1g -Dfoo=\"a b\" " + JavaToolOptions.FLAGS);
  }

  @Test
  void emptyOrBlankValueBecomesTheFlags() {
    assertThat(JavaToolOptions.append(null)).isEqualTo(JavaToolOptions.FLAGS);
    assertThat(JavaToolOptions.append(" ")).isEqualTo(JavaToolOptions.FLAGS);
  }

  @Test
  void valueThatAlreadyLoadsTheAgentIsLeftAlone() {
    String value = "-Xss1m " + JavaToolOptions.FLAGS;
    assertThat(JavaToolOptions.append(value)).isSameAs(value);
  }
}
