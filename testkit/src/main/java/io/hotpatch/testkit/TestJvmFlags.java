package io.hotpatch.testkit;

import java.util.Arrays;
import java.util.List;

/**
 * The JVM flags the build gives every JVM a test starts (system property {@code
 * hotpatch.test.jvmFlags}, space-separated); none outside the build, so benchmarks measure JVMs as
 * they ship.
 */
public final class TestJvmFlags {
  private static final List<String> FLAGS =
      Arrays.stream(System.getProperty("hotpatch.test.jvmFlags", "").split(" "))
          .filter(flag -> !flag.isBlank())
          .toList();

  private TestJvmFlags() {}

  public static List<String> get() {
    return FLAGS;
  }
}
