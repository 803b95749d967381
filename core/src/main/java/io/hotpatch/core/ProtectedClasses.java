package io.hotpatch.core;

import java.util.Collection;

/**
 * Classes a bundle may not patch: the JDK's own (unless the patch explicitly allows them) and the
 * hotpatch agent's, which the agent needs intact to apply, verify and revert.
 */
public final class ProtectedClasses {
  /** Packages of the JDK's own classes: redefining them changes every application in the JVM. */
  static final String[] JDK_PACKAGES = {"java.", "javax.", "jdk.", "sun.", "com.sun."};

  /**
   * What the agent jar holds: the agent's own package, its shaded libraries and the contracts it
   * runs on.
   */
  static final String[] AGENT_PACKAGES = {
    "io.hotpatch.agent", "io.hotpatch.agent.shaded.", "io.hotpatch.core", "io.hotpatch.core."
  };

  private ProtectedClasses() {}

  /**
   * Why a bundle with these classes (binary names, {@code java.lang.String}) must not be applied,
   * or null when it may.
   */
  public static String refusal(Collection<String> classNames, boolean allowJdkClasses) {
    for (String name : classNames) {
      if (isAgentClass(name)) {
        return "bundle patches "
            + name
            + ", a class of the hotpatch agent itself, which is never patched:"
            + " rebuild the bundle without it";
      }
    }
    for (String name : classNames) {
      if (!allowJdkClasses && startsWithAny(name, JDK_PACKAGES)) {
        return "bundle patches "
            + name
            + ", a class of the JDK (java.*, javax.*, jdk.*, sun.*, com.sun.*),"
            + " which is refused because it changes every application in the JVM: allow it explicitly"
            + " (HotPatch spec.allowJdkClasses: true, hotpatch apply --allow-jdk-classes) only for a JDK fix you have tested";
      }
    }
    return null;
  }

  private static boolean isAgentClass(String name) {
    String pkg = name.substring(0, Math.max(0, name.lastIndexOf('.')));
    for (String agentPackage : AGENT_PACKAGES) {
      if (agentPackage.endsWith(".") ? pkg.startsWith(agentPackage) : pkg.equals(agentPackage)) {
        return true;
      }
    }
    return false;
  }

  private static boolean startsWithAny(String name, String[] prefixes) {
    for (String prefix : prefixes) {
      if (name.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
