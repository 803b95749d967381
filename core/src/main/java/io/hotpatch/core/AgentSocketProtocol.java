package io.hotpatch.core;

import java.util.List;

/**
 * The resident agent's socket, shared by the agent and its clients: where it lives, how a request
 * is framed (one line of {@link AgentRequest} text; the reply is {@link WireFormat} text up to end
 * of stream) and the bounds the agent holds a peer to.
 */
public final class AgentSocketProtocol {
  /**
   * The agent argument naming the directory of the socket: {@code
   * -javaagent:hotpatch-agent.jar=socket=DIR}.
   */
  public static final String SOCKET_ARGUMENT = "socket=";

  /** The longest request line the agent reads; a longer one is refused. */
  public static final int MAX_REQUEST_BYTES = 64 * 1024;

  /** How long the agent waits for a whole request line, and for its reply to be taken. */
  public static final int REQUEST_MILLIS = 5_000;

  private AgentSocketProtocol() {}

  /** The socket's file name in its directory, by the JVM's pid in its own pid namespace. */
  public static String socketName(long pid) {
    return pid + ".sock";
  }

  /** The socket directory named by the agent arguments ({@code a=b&socket=DIR}), or null. */
  public static String socketDirectory(String agentArgs) {
    if (agentArgs == null) {
      return null;
    }
    String found = null;
    for (String pair : agentArgs.split("&")) {
      if (pair.startsWith(SOCKET_ARGUMENT) && pair.length() > SOCKET_ARGUMENT.length()) {
        found = pair.substring(SOCKET_ARGUMENT.length());
      }
    }
    return found;
  }

  /**
   * The socket directory of the first {@code -javaagent} of the hotpatch agent among JVM options,
   * or null.
   */
  public static String socketDirectoryOf(List<String> jvmOptions) {
    for (String option : jvmOptions) {
      if (!option.startsWith("-javaagent:")) {
        continue;
      }
      int equals = option.indexOf('=');
      String jar = equals < 0 ? option : option.substring(0, equals);
      if (jar.endsWith("hotpatch-agent.jar") && equals > 0) {
        return socketDirectory(option.substring(equals + 1));
      }
    }
    return null;
  }
}
