package io.hotpatch.operator.webhook;

/**
 * The JVM flags the webhook appends to the target container's JAVA_TOOL_OPTIONS, and how it appends
 * them.
 */
public final class JavaToolOptions {
  public static final String NAME = "JAVA_TOOL_OPTIONS";
  public static final String AGENT_JAR =
      SidecarTemplates.HOTPATCH_DIR + "/agent/hotpatch-agent.jar";
  public static final String BUNDLES_DIR = SidecarTemplates.HOTPATCH_DIR + "/bundles";

  /**
   * Where the agent, resident from JVM start, opens its owner-only socket for the sidecar (no
   * attach per patch).
   */
  public static final String SOCKET_DIR = SidecarTemplates.HOTPATCH_DIR + "/run";

  private static final String JAVAAGENT = "-javaagent:" + AGENT_JAR;

  /*
   * EnableDynamicAgentLoading exists since JDK 9 (JEP 451's release note) and from JDK 21 keeps the
   * sidecar's later attach warning-free; JDK 8 does not know it. A JVM that does not know an -XX
   * flag refuses to start unless IgnoreUnrecognizedVMOptions is already on when that flag is
   * parsed, and JDK 8 parses JAVA_TOOL_OPTIONS left to right, so IgnoreUnrecognizedVMOptions must
   * come first.
   * -javaagent is a standard option every JVM from 8 to 25 knows; the agent is Java 8 bytecode.
   */
  public static final String FLAGS =
      "-XX:+IgnoreUnrecognizedVMOptions -XX:+EnableDynamicAgentLoading "
          + JAVAAGENT
          + "=bundles="
          + BUNDLES_DIR
          + "&socket="
          + SOCKET_DIR;

  private JavaToolOptions() {}

  /**
   * The user's value with our flags appended (never replaced); unchanged when they are already
   * there.
   */
  public static String append(String existing) {
    if (existing == null || existing.isBlank()) {
      return FLAGS;
    }
    if (existing.contains(JAVAAGENT)) {
      return existing;
    }
    return existing + " " + FLAGS;
  }
}
