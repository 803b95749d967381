package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.rollout.Problem;
import org.junit.jupiter.api.Test;

/** A reconcile exception becomes one line of status: the cause that says something, bounded. */
class ReconcileErrorTest {
  @Test
  void namesTheFirstCauseWithAMessageOnOneLine() {
    Problem problem =
        ReconcileError.problem(
            new RuntimeException(
                new IllegalStateException("ConfigMap shop/fix is 3 MiB\n\tat somewhere")));

    assertThat(problem.reason()).isEqualTo("ReconcileError");
    assertThat(problem.message())
        .isEqualTo(
            "The operator failed to reconcile this HotPatch (RuntimeException:"
                + " java.lang.IllegalStateException: ConfigMap shop/fix is 3 MiB) and retries with backoff: fix what"
                + " this names, or report it with the operator's log");
  }

  @Test
  void boundsAHugeMessage() {
    Problem problem = ReconcileError.problem(new IllegalArgumentException("x".repeat(10_000)));

    assertThat(problem.message())
        .hasSizeLessThan(500)
        .contains("IllegalArgumentException: xxx", "...");
  }
}
