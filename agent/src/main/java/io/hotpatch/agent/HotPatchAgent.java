package io.hotpatch.agent;

import io.hotpatch.core.AgentRequest;
import java.lang.instrument.Instrumentation;
import java.util.Properties;

/**
 * Entry point of the hotpatch agent: {@code premain} for startup mode (skipped in JDK tools),
 * {@code agentmain} for each attach. Does nothing itself, never throws and never prints a stack
 * trace into the application.
 */
public final class HotPatchAgent {
  private HotPatchAgent() {}

  public static void premain(String agentArgs, Instrumentation inst) {
    try {
      if (JdkTool.isRunning()) {
        return;
      }
      AgentRuntime.get().startup(agentArgs, inst);
    } catch (Throwable e) {
      StartupNotice.print("agent not started: " + Throwables.describe(e));
    }
  }

  public static void agentmain(String agentArgs, Instrumentation inst) {
    try {
      String replyKey = AgentRequest.replyKeyOf(agentArgs);
      ReplyChannel.clearStale(System.currentTimeMillis());
      Properties reply = AgentRuntime.get().reply(agentArgs, inst);
      if (replyKey != null) {
        ReplyChannel.write(replyKey, reply);
      }
    } catch (Throwable ignored) {
      // Nothing left to report through; the application must not notice.
    }
  }
}
