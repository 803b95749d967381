package io.hotpatch.operator.reconciler;

import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.rollout.Problem;

/** Turns an exception a reconcile threw into the Degraded problem status shows. */
final class ReconcileError {
  private static final int MAX_MESSAGE = 300;

  private ReconcileError() {}

  static Problem problem(Exception e) {
    Throwable cause = e;
    while (cause.getCause() != null
        && cause.getCause() != cause
        && (cause.getMessage() == null || cause.getMessage().isBlank())) {
      cause = cause.getCause();
    }
    String detail =
        cause.getMessage() == null ? "" : cause.getMessage().lines().findFirst().orElse("");
    detail = detail.length() <= MAX_MESSAGE ? detail : detail.substring(0, MAX_MESSAGE) + "...";
    return new Problem(
        Reason.ReconcileError,
        "The operator failed to reconcile this HotPatch ("
            + cause.getClass().getSimpleName()
            + (detail.isEmpty() ? "" : ": " + detail)
            + ") and retries with backoff: fix what this names, or report it"
            + " with the operator's log");
  }
}
