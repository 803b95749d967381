package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the bundle builder recorded about one class: the original it expects and its classification.
 */
public final class BundleEntry {
  /** Whether the class replaces one in the original jar or is new with the patch. */
  public enum Kind {
    CHANGED,
    ADDED
  }

  private final String className;
  private final Kind kind;
  private final String originalDigest;
  private final boolean hotApplicable;
  private final List<String> reasons;

  public BundleEntry(
      String className,
      Kind kind,
      String originalDigest,
      boolean hotApplicable,
      List<String> reasons) {
    this.className = className;
    this.kind = kind;
    this.originalDigest = originalDigest == null ? "" : originalDigest;
    this.hotApplicable = hotApplicable;
    this.reasons = Collections.unmodifiableList(new ArrayList<String>(reasons));
  }

  public String getClassName() {
    return className;
  }

  public Kind getKind() {
    return kind;
  }

  /** {@link ClassDigest} of the class this entry replaces; empty for added classes. */
  public String getOriginalDigest() {
    return originalDigest;
  }

  public boolean isHotApplicable() {
    return hotApplicable;
  }

  /** Why the change cannot be applied to a live JVM; empty when it can. */
  public List<String> getReasons() {
    return reasons;
  }
}
