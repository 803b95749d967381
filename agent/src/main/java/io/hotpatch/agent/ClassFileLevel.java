package io.hotpatch.agent;

import io.hotpatch.core.Bundle;
import java.util.Map;

/**
 * Finds a bundle class this JVM cannot read because it was compiled for a newer Java, so the bundle
 * is refused before anything is redefined or substituted (a JVM answers such bytes only with
 * UnsupportedClassVersionError, at redefinition or, worse, when the class loads at start).
 */
final class ClassFileLevel {
  /** Java 8 reads class files up to major version 52; each later release reads one more. */
  private static final int MAJOR_OF_JAVA_8 = 52;

  private ClassFileLevel() {}

  /** The feature release of this JVM: 8 for "1.8", 11 for "11". */
  static int runningFeature() {
    String spec = System.getProperty("java.specification.version", "1.8");
    try {
      return Integer.parseInt(spec.startsWith("1.") ? spec.substring(2) : spec);
    } catch (NumberFormatException e) {
      return 8;
    }
  }

  /**
   * Why a JVM of {@code feature} cannot read a class of the bundle, or null when it can read all.
   */
  static String tooNew(Bundle bundle, int feature) {
    int readable = MAJOR_OF_JAVA_8 - 8 + feature;
    for (Map.Entry<String, byte[]> entry : bundle.getClasses().entrySet()) {
      int major = major(entry.getValue());
      if (major > readable) {
        int release = major - MAJOR_OF_JAVA_8 + 8;
        return entry.getKey()
            + " is compiled for Java "
            + release
            + " (class file version "
            + major
            + "), this JVM runs Java "
            + feature
            + " and reads up to "
            + readable
            + ": compile the fix with"
            + " --release "
            + feature
            + " (or the release the application is built for) and rebuild the bundle";
      }
    }
    return null;
  }

  /**
   * The class file's major version, or 0 when it is too short to be a class file (checked later).
   */
  private static int major(byte[] classFile) {
    return classFile.length < 8 ? 0 : (classFile[6] & 0xFF) << 8 | classFile[7] & 0xFF;
  }
}
