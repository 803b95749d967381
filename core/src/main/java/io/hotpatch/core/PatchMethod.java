package io.hotpatch.core;

/** How a patch reached a JVM: redefined live, or substituted as classes loaded at JVM start. */
public enum PatchMethod {
  HOT("Hot"),
  STARTUP("Startup");

  private final String displayName;

  PatchMethod(String displayName) {
    this.displayName = displayName;
  }

  /** The spelling used in HotPatch status ({@code Hot} or {@code Startup}). */
  public String displayName() {
    return displayName;
  }
}
