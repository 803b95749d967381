package io.hotpatch.sidecar;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.PhaseClock;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Loads the agent into one JVM with the JDK Attach API, passing a request, and returns the reply
 * the agent leaves in the target's system properties.
 */
final class Attacher {
  private static final String DYNAMIC_LOADING_OFF = "Dynamic agent loading is not enabled";

  /**
   * Attaches run on their own daemon threads, so a target that never answers costs its thread, not
   * the caller: the JDK's attach reads its reply without a time limit.
   */
  private static final ExecutorService ATTACHES =
      Executors.newCachedThreadPool(
          task -> {
            Thread thread = new Thread(task, "hotpatch-attach");
            thread.setDaemon(true);
            return thread;
          });

  /** The attach under way per target: one that never ended blocks the next, bounding threads. */
  private static final Map<Long, Future<Attached>> UNDER_WAY = new ConcurrentHashMap<>();

  /** How long to wait for a signalled target's socket before the JDK's attacher takes over. */
  private static final Duration LISTENER_START = Duration.ofSeconds(2);

  private final Path ourTmp;
  private final boolean weAreRoot;
  private final Duration replyTimeout;

  Attacher(Path ourTmp, boolean weAreRoot, Duration replyTimeout) {
    this.ourTmp = ourTmp;
    this.weAreRoot = weAreRoot;
    this.replyTimeout = replyTimeout;
  }

  /**
   * The agent's reply and how long each step of the attach took, in ms: {@code startListener}
   * (until the target's attach socket is there), {@code connect}, {@code loadAgent} (the agent's
   * own phases included) and {@code readReply}.
   */
  record Attached(String reply, Map<String, Double> steps) {}

  Attached call(AttachTarget target, String agentJarInTarget, AgentRequest request)
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
    Attached attached;
    try {
      attached = loadWithin(target, agentJarInTarget, request);
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
      String foreign = foreignSocket(target);
      throw new AttachFailure(
          Reason.ATTACH_FAILED,
          "attach to target "
              + pid
              + " failed ("
              + e.getMessage()
              + "): "
              + (foreign != null ? foreign : "check that it is still running and responsive"),
          e);
    } finally {
      bridge.close();
    }
    if (attached.reply() == null) {
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
    return attached;
  }

  /**
   * Why the attach failed when the target's attach socket belongs to another uid than the target's:
   * a process that had this pid before left it, and the target cannot replace it. Null when the
   * socket is the target's own or cannot be read.
   */
  private static String foreignSocket(AttachTarget target) {
    try {
      int owner =
          (Integer) Files.getAttribute(target.socket(), "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner == target.uid()) {
        return null;
      }
      return "its attach socket "
          + target.socket()
          + " belongs to uid "
          + owner
          + ", not to the target's uid "
          + target.uid()
          + ": an earlier process with this pid left it, and the JVM cannot replace it; remove it"
          + " (as root or uid "
          + owner
          + ") and retry";
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Attached loadWithin(AttachTarget target, String agentJarInTarget, AgentRequest request)
      throws AttachFailure,
          IOException,
          AttachNotSupportedException,
          AgentLoadException,
          AgentInitializationException {
    long pid = target.pid();
    Future<Attached> earlier = UNDER_WAY.get(pid);
    if (earlier != null && !earlier.isDone()) {
      throw new AttachFailure(
          Reason.AGENT_REPLY_MISSING,
          "an earlier attach to target "
              + pid
              + " is still waiting for its answer, so none more is made: the JVM looks stuck; check"
              + " it (jcmd "
              + pid
              + " Thread.print) or restart it");
    }
    Future<Attached> load = ATTACHES.submit(() -> load(target, agentJarInTarget, request));
    UNDER_WAY.put(pid, load);
    try {
      return load.get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw ReplyDeadline.missed("target " + pid + " did not answer the attach", pid, replyTimeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AttachFailure(Reason.ATTACH_FAILED, "interrupted while attaching to " + pid, e);
    } catch (ExecutionException e) {
      throw rethrown(e.getCause());
    } finally {
      if (load.isDone()) {
        UNDER_WAY.remove(pid, load);
      }
    }
  }

  /** The attach's own failure, as thrown where it happened. */
  private static IOException rethrown(Throwable cause)
      throws AttachNotSupportedException, AgentLoadException, AgentInitializationException {
    if (cause instanceof AttachNotSupportedException e) {
      throw e;
    }
    if (cause instanceof AgentLoadException e) {
      throw e;
    }
    if (cause instanceof AgentInitializationException e) {
      throw e;
    }
    if (cause instanceof RuntimeException e) {
      throw e;
    }
    if (cause instanceof Error e) {
      throw e;
    }
    return cause instanceof IOException e ? e : new IOException(cause);
  }

  private static Attached load(AttachTarget target, String agentJarInTarget, AgentRequest request)
      throws IOException,
          AttachNotSupportedException,
          AgentLoadException,
          AgentInitializationException {
    PhaseClock clock = new PhaseClock();
    AttachListenerStart.awaitSocket(target, LISTENER_START);
    clock.lap("startListener");
    VirtualMachine vm = VirtualMachine.attach(Long.toString(target.pid()));
    try {
      clock.lap("connect");
      vm.loadAgent(agentJarInTarget, request.encode());
      clock.lap("loadAgent");
      String reply = vm.getSystemProperties().getProperty(request.getReplyKey());
      clock.lap("readReply");
      return new Attached(reply, clock.millis());
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
