package io.hotpatch.agent;

import java.util.Map;

/**
 * A bundle class that was not loaded when its patch came in: the transformer substitutes it when it
 * loads, after checking that the incoming class is the original the patch expects.
 */
final class PendingClass {
  private final ActivePatch patch;
  private final String className;
  private final String expectedDigest;
  private final byte[] replacement;
  private final Map<String, byte[]> companions;

  /**
   * @param expectedDigest digest of the original, or empty when the bundle has no manifest entry
   * @param companions new classes of the same patch to define in the loader before substituting
   */
  PendingClass(
      ActivePatch patch,
      String className,
      String expectedDigest,
      byte[] replacement,
      Map<String, byte[]> companions) {
    this.patch = patch;
    this.className = className;
    this.expectedDigest = expectedDigest;
    this.replacement = replacement;
    this.companions = companions;
  }

  ActivePatch patch() {
    return patch;
  }

  String className() {
    return className;
  }

  String expectedDigest() {
    return expectedDigest;
  }

  byte[] replacement() {
    return replacement;
  }

  Map<String, byte[]> companions() {
    return companions;
  }
}
