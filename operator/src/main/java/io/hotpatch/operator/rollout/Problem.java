package io.hotpatch.operator.rollout;

import io.hotpatch.operator.api.v1alpha1.Reason;

/** Something the user must fix: a machine-readable reason and a message naming cause and fix. */
public record Problem(String reason, String message) {
  public Problem(Reason reason, String message) {
    this(reason.name(), message);
  }
}
