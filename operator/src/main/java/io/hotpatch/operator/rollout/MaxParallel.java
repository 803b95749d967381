package io.hotpatch.operator.rollout;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;

/** Turns strategy.maxParallel (a count or a percentage of the targets) into a pod count. */
public final class MaxParallel {
  private MaxParallel() {}

  /** Pods per wave: at least 1; percentages round down, like a Deployment's maxUnavailable. */
  public static int resolve(IntOrString maxParallel, int targets) {
    IntOrString value =
        maxParallel != null ? maxParallel : new IntOrString(RolloutStrategy.DEFAULT_MAX_PARALLEL);
    if (value.getIntVal() != null) {
      return Math.max(1, value.getIntVal());
    }
    // A count written as a string ("4") is refused, as a Deployment's maxUnavailable refuses it.
    String text = value.getStrVal().trim();
    try {
      if (text.endsWith("%")) {
        int percent = Integer.parseInt(text.substring(0, text.length() - 1));
        return Math.max(1, targets * percent / 100);
      }
    } catch (NumberFormatException e) {
      // refused below, with the fix
    }
    throw new IllegalArgumentException(
        "strategy.maxParallel '"
            + text
            + "' is neither a count nor a percentage: write e.g. 2 or 25%");
  }
}
