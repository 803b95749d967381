package io.hotpatch.cli;

import java.util.List;

/** How one class differs between the old and the new build, as {@code hotpatch diff} reports it. */
record ClassDiff(
    String name,
    Change change,
    boolean hotApplicable,
    List<String> reasons,
    List<String> warnings) {
  /** Kind of difference. */
  enum Change {
    CHANGED,
    ADDED,
    REMOVED
  }
}
