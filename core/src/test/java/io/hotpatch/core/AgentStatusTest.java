package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * The status reply: per-class states, the patch state they add up to, and warnings, through the
 * wire format.
 */
class AgentStatusTest {
  private static PatchedClass patched(String name) {
    return new PatchedClass(name, "app", PatchedClass.State.PATCHED, "substituted as it loaded");
  }

  private static PatchedClass pending(String name) {
    return new PatchedClass(name, "", PatchedClass.State.PENDING, "not loaded yet");
  }

  private static PatchedClass skipped(String name) {
    return new PatchedClass(
        name, "app", PatchedClass.State.SKIPPED, "not the version the patch was built for");
  }

  @Test
  void carriesPatchesClassStatesAndWarningsThroughTheWireFormat() {
    AgentStatus status =
        new AgentStatus(
            "0.1.0",
            "17.0.15",
            "Debian",
            true,
            1234L,
            Collections.singletonList(
                new AppliedPatch(
                    "ab12",
                    99L,
                    PatchMethod.STARTUP,
                    Arrays.asList(patched("a.B"), skipped("a.B"), pending("a.B$1")))),
            Collections.singletonList("startup bundle skipped: bundle /x.jar is not a jar"));

    AgentStatus read =
        AgentStatus.fromProperties(WireFormat.decode(WireFormat.encode(status.toProperties())));

    assertThat(read).usingRecursiveComparison().isEqualTo(status);
    assertThat(read.getPatches())
        .singleElement()
        .satisfies(
            patch -> {
              assertThat(patch.getClassNames()).containsExactly("a.B", "a.B$1");
              assertThat(patch.getClasses())
                  .extracting(PatchedClass::getState)
                  .containsExactly(
                      PatchedClass.State.PATCHED,
                      PatchedClass.State.SKIPPED,
                      PatchedClass.State.PENDING);
            });
  }

  @Test
  void aPatchCountsAsAppliedOnlyWhenAClassRunsIt() {
    assertThat(patch(skipped("a.B"), patched("a.C")).getState())
        .isEqualTo(AppliedPatch.State.APPLIED);
    assertThat(patch(skipped("a.B"), pending("a.C")).getState())
        .isEqualTo(AppliedPatch.State.PENDING);
    assertThat(patch(skipped("a.B"), skipped("a.C")).getState())
        .isEqualTo(AppliedPatch.State.NOT_APPLIED);
  }

  private static AppliedPatch patch(PatchedClass... classes) {
    return new AppliedPatch("ab12", 1L, PatchMethod.STARTUP, Arrays.asList(classes));
  }
}
