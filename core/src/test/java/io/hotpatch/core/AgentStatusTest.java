package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class AgentStatusTest {
  @Test
  void carriesPatchesAndWarningsThroughTheWireFormat() {
    AgentStatus status = new AgentStatus("17.0.15", "Debian", true, 1234L,
        Collections.singletonList(new AppliedPatch("ab12", 99L, PatchMethod.STARTUP, Arrays.asList("a.B", "a.B$1"))),
        Collections.singletonList("startup bundle /x.jar skipped: bundle is not a jar"));

    AgentStatus read = AgentStatus.fromProperties(WireFormat.decode(WireFormat.encode(status.toProperties())));

    assertThat(read.isLoadedAtStartup()).isTrue();
    assertThat(read.getJvmStartMillis()).isEqualTo(1234L);
    assertThat(read.getPatches()).singleElement().satisfies(patch -> {
      assertThat(patch.getId()).isEqualTo("ab12");
      assertThat(patch.getMethod()).isEqualTo(PatchMethod.STARTUP);
      assertThat(patch.getClasses()).containsExactly("a.B", "a.B$1");
    });
    assertThat(read.getWarnings()).containsExactly("startup bundle /x.jar skipped: bundle is not a jar");
  }
}
