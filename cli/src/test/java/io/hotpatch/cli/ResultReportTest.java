package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How apply, check and revert results read for people and for machines. */
class ResultReportTest {
  private static final String ID = "ab".repeat(32);

  @Test
  void onePerClassLineThenTheOverallLineWithIdAndTime() {
    PatchResult result =
        new PatchResult(
            "apply",
            ResultState.PRECONDITION_FAILED,
            ID,
            "nothing was changed",
            false,
            List.of(
                new ClassResult("shop.A", "app", ResultState.PRECONDITION_FAILED, "digest differs"),
                new ClassResult("shop.B", "", ResultState.APPLIED, "")));

    ResultReport report = ResultReport.of(42, result, 17);

    assertThat(report.lines())
        .containsExactly(
            "  PRECONDITION_FAILED shop.A [app]: digest differs",
            "  APPLIED             shop.B",
            "PRECONDITION_FAILED " + ID + " in 17 ms: nothing was changed");
    assertThat(CliCommand.toJson(report))
        .contains(
            "\"status\" : \"PRECONDITION_FAILED\"",
            "\"pid\" : 42",
            "\"name\" : \"shop.A\"",
            "\"loader\" : \"app\"");
  }

  @Test
  void aSuccessfulDryRunSaysItWouldApplyAndNeverApplied() {
    PatchResult result =
        new PatchResult(
            "check",
            ResultState.APPLIED,
            ID,
            "would apply: 1 class",
            true,
            List.of(new ClassResult("shop.A", "app", ResultState.APPLIED, "hot-applicable")));

    ResultReport report = ResultReport.of(1, result, 5);

    assertThat(report.lines())
        .containsExactly(
            "  WOULD_APPLY         shop.A [app]: hot-applicable",
            "WOULD_APPLY (dry run) " + ID + " in 5 ms: would apply: 1 class");
    assertThat(CliCommand.toJson(report))
        .contains("\"status\" : \"WOULD_APPLY\"", "\"state\" : \"WOULD_APPLY\"")
        .doesNotContain("APPLIED\"");
  }
}
