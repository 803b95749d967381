package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** How one class differs between two versions, and whether a live JVM would accept the change. */
public final class ClassChange {
  private final boolean changed;
  private final List<String> reasons;
  private final List<String> warnings;

  ClassChange(boolean changed, List<String> reasons, List<String> warnings) {
    this.changed = changed;
    this.reasons = Collections.unmodifiableList(new ArrayList<String>(reasons));
    this.warnings = Collections.unmodifiableList(new ArrayList<String>(warnings));
  }

  /** False when the two versions differ at most in debug attributes. */
  public boolean isChanged() {
    return changed;
  }

  /** True when only method bodies (code, constants, attributes a live JVM accepts) changed. */
  public boolean isHotApplicable() {
    return reasons.isEmpty();
  }

  /** Why a live JVM would refuse the change, one line each. */
  public List<String> getReasons() {
    return reasons;
  }

  /** Things that apply but deserve a look, such as a changed compile-time constant. */
  public List<String> getWarnings() {
    return warnings;
  }
}
