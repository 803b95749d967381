package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchedClass;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How {@code hotpatch status} reads: JVM start, each patch's state, every class's state and the
 * warnings.
 */
class StatusReportTest {
  private static final String ID = "cd".repeat(32);

  @Test
  void aStartupPatchWhoseClassesWereAllSkippedReadsAsNotApplied() {
    AgentStatus status =
        new AgentStatus(
            "0.1.0",
            "17.0.15",
            "Debian",
            true,
            0L,
            List.of(
                new AppliedPatch(
                    ID,
                    1000L,
                    PatchMethod.STARTUP,
                    List.of(
                        new PatchedClass(
                            "shop.PriceCalculator",
                            "app",
                            PatchedClass.State.SKIPPED,
                            "not the version the patch was built for"),
                        new PatchedClass(
                            "shop.Tax", "", PatchedClass.State.SKIPPED, "new class not defined")))),
            List.of(
                "patch cdcdcdcdcdcd: shop.PriceCalculator in loader app is not the version the patch was built for"));

    StatusCommand.Report report = StatusCommand.Report.of(7, status);

    assertThat(report.lines())
        .containsExactly(
            "pid 7: Java 17.0.15 (Debian), started 1970-01-01T00:00:00Z, agent 0.1.0 loaded at start (-javaagent)",
            ID
                + " Startup NOT_APPLIED since 1970-01-01T00:00:01Z: every class was skipped, the JVM runs none of this patch",
            "  SKIPPED  shop.PriceCalculator [app]: not the version the patch was built for",
            "  SKIPPED  shop.Tax: new class not defined",
            "warning: patch cdcdcdcdcdcd: shop.PriceCalculator in loader app is not the version the patch was built for");
    assertThat(CliCommand.toJson(report))
        .contains(
            "\"jvmStartedAt\" : \"1970-01-01T00:00:00Z\"",
            "\"agentVersion\" : \"0.1.0\"",
            "\"state\" : \"NOT_APPLIED\"",
            "\"state\" : \"SKIPPED\"",
            "\"warnings\" : [ \"patch cdcdcdcdcdcd");
  }

  @Test
  void aHotPatchShowsPatchedAndPendingClasses() {
    AgentStatus status =
        new AgentStatus(
            "0.1.0",
            "25",
            "Eclipse Adoptium",
            false,
            0L,
            List.of(
                new AppliedPatch(
                    ID,
                    0L,
                    PatchMethod.HOT,
                    List.of(
                        new PatchedClass(
                            "shop.A", "app", PatchedClass.State.PATCHED, "hot-applicable"),
                        new PatchedClass(
                            "shop.B",
                            "",
                            PatchedClass.State.PENDING,
                            "not loaded yet: patched when it loads")))),
            List.of());

    assertThat(StatusCommand.Report.of(7, status).lines())
        .containsExactly(
            "pid 7: Java 25 (Eclipse Adoptium), started 1970-01-01T00:00:00Z, agent 0.1.0 attached",
            ID + " Hot     APPLIED     since 1970-01-01T00:00:00Z",
            "  PATCHED  shop.A [app]: hot-applicable",
            "  PENDING  shop.B: not loaded yet: patched when it loads");
  }
}
