package io.hotpatch.sidecar;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.hotpatch.core.AgentRequest;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Loads the agent into one JVM with the JDK Attach API, passing a request, and returns the reply
 * the agent leaves in the target's system properties.
 */
final class Attacher {
  private static final String DYNAMIC_LOADING_OFF = "Dynamic agent loading is not enabled";

  private final Path ourTmp;
  private final boolean weAreRoot;

  Attacher(Path ourTmp, boolean weAreRoot) {
    this.ourTmp = ourTmp;
    this.weAreRoot = weAreRoot;
  }

  String call(AttachTarget target, String agentJarInTarget, AgentRequest request)
      throws AttachFailure {
    long pid = target.pid();
    AttachBridge bridge;
    try {
      bridge = AttachBridge.open(target, ourTmp, weAreRoot);
    } catch (IOException e) {
      throw new AttachFailure(
          Reason.ATTACH_FAILED,
          "cannot link the attach socket of target "
              + pid
              + " into "
              + ourTmp
              + " ("
              + e
              + "): give this process a writable "
              + ourTmp
              + " (e.g. an emptyDir volume)",
          e);
    }
    String reply;
    try {
      reply = load(pid, agentJarInTarget, request);
    } catch (AttachNotSupportedException e) {
      throw notAttached(target, e);
    } catch (AgentLoadException e) {
      if (String.valueOf(e.getMessage()).contains(DYNAMIC_LOADING_OFF)) {
        throw AttachPreconditions.disabledDynamicLoading(pid);
      }
      throw new AttachFailure(
          Reason.AGENT_LOAD_FAILED,
          "target "
              + pid
              + " could not load the agent "
              + agentJarInTarget
              + " ("
              + e.getMessage()
              + "): check that it is the hotpatch agent jar and readable by uid "
              + target.uid(),
          e);
    } catch (AgentInitializationException e) {
      throw new AttachFailure(
          Reason.AGENT_LOAD_FAILED,
          "the agent failed to start in target "
              + pid
              + " ("
              + e.getMessage()
              + "): check the target's output and that the agent jar matches this hotpatch version",
          e);
    } catch (IOException e) {
      throw new AttachFailure(
          Reason.ATTACH_FAILED,
          "attach to target "
              + pid
              + " failed ("
              + e.getMessage()
              + "): check that it is still running and responsive",
          e);
    } finally {
      bridge.close();
    }
    if (reply == null) {
      throw new AttachFailure(
          Reason.AGENT_REPLY_MISSING,
          "the agent in target "
              + pid
              + " left no reply under "
              + request.getReplyKey()
              + ": check that "
              + agentJarInTarget
              + " is the hotpatch agent of this version");
    }
    return reply;
  }

  private static String load(long pid, String agentJarInTarget, AgentRequest request)
      throws IOException,
          AttachNotSupportedException,
          AgentLoadException,
          AgentInitializationException {
    VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
    try {
      vm.loadAgent(agentJarInTarget, request.encode());
      return vm.getSystemProperties().getProperty(request.getReplyKey());
    } finally {
      vm.detach();
    }
  }

  private static AttachFailure notAttached(AttachTarget target, AttachNotSupportedException e) {
    if (!target.hasSocket()) {
      return new AttachFailure(
          Reason.ATTACH_DISABLED,
          "target "
              + target.pid()
              + " did not open its attach socket ("
              + e.getMessage()
              + "): restart it without -XX:+DisableAttachMechanism, or check that it is a"
              + " responsive HotSpot JVM",
          e);
    }
    return new AttachFailure(
        Reason.ATTACH_FAILED,
        "attach to target "
            + target.pid()
            + " failed ("
            + e.getMessage()
            + "): check that it is a responsive HotSpot JVM, and attach as its uid "
            + target.uid()
            + " or as root",
        e);
  }
}
