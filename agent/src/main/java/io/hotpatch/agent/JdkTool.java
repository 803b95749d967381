package io.hotpatch.agent;

/**
 * Recognizes the JDK's own tools (jcmd, jstack, jps, keytool, javac, jar, jshell, ...), which pick
 * up an injected {@code JAVA_TOOL_OPTIONS} like any JVM of the container: the agent stays out of
 * them.
 */
final class JdkTool {
  /** Forces the agent into a JDK tool anyway (for debugging the tool itself). */
  static final String FORCE_PROPERTY = "hotpatch.agent.inJdkTools";

  private JdkTool() {}

  /** Whether this JVM runs a JDK tool, judged by the launcher's {@code sun.java.command}. */
  static boolean isRunning() {
    return !Boolean.getBoolean(FORCE_PROPERTY) && isJdkTool(System.getProperty("sun.java.command"));
  }

  /**
   * True for {@code jdk.jcmd/sun.tools.jcmd.JCmd -l} (a main class in a JDK module, JDK 9+) and for
   * the JDK 8 tools' main classes ({@code sun.tools.jstack.JStack}); false for {@code -jar
   * app.jar}, application modules and classes, and an unknown command.
   */
  static boolean isJdkTool(String command) {
    if (command == null || command.trim().isEmpty()) {
      return false;
    }
    String first = command.trim().split("\\s+", 2)[0];
    if (first.endsWith(".jar")) {
      return false;
    }
    int slash = first.indexOf('/');
    if (slash > 0) {
      String module = first.substring(0, slash);
      return module.startsWith("java.") || module.startsWith("jdk.");
    }
    return first.startsWith("sun.tools.")
        || first.startsWith("sun.security.tools.")
        || first.startsWith("sun.rmi.")
        || first.startsWith("sun.jvm.hotspot.")
        || first.startsWith("com.sun.tools.")
        || first.startsWith("jdk.internal.")
        || first.startsWith("jdk.jfr.internal.tool.");
  }
}
