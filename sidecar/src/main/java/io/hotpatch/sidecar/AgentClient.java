package io.hotpatch.sidecar;

import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.AgentRequest.Operation;
import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AgentVersion;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PhaseClock;
import io.hotpatch.core.WireFormat;
import io.hotpatch.sidecar.AttachFailure.Reason;
import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Drives the hotpatch agent in a running JVM (check, apply, revert, status): through the agent's
 * socket when it is resident since JVM start ({@link ResidentSocket}), otherwise attaches, loads
 * the agent with the request, reads the agent's reply, and leaves no files behind in the target.
 */
public final class AgentClient {
  /** One operation at a time per target, so staged files and attach files are not shared. */
  private static final Map<Long, Object> LOCKS = new ConcurrentHashMap<>();

  private static final Path OUR_TMP = Path.of("/tmp");

  /**
   * The reply comes back on the socket itself; a reply key only names the system property an
   * attached agent leaves its reply in.
   */
  private static final String SOCKET_REPLY = WireFormat.newReplyKey(0, 0);

  private final Path agentJar;
  private final Duration replyTimeout;
  private volatile String agentVersion;
  private final ProcFs proc = ProcFs.system();
  private final JvmFinder finder = new JvmFinder();

  /**
   * @param agentJar the hotpatch agent jar (agent/target/hotpatch-agent.jar)
   */
  public AgentClient(Path agentJar) {
    this(agentJar, ReplyDeadline.DEFAULT);
  }

  /** A client that gives up on a target whose agent does not answer within {@code replyTimeout}. */
  public AgentClient(Path agentJar, Duration replyTimeout) {
    this.replyTimeout = replyTimeout;
    this.agentJar = agentJar;
  }

  /** Dry run: whether the bundle would apply in the target, class by class; changes nothing. */
  public PatchResult check(long pid, Path bundle, String sha256OrNull) throws AttachFailure {
    return check(pid, bundle, sha256OrNull, false);
  }

  /** Dry run as {@link #check(long, Path, String)}, with JDK classes allowed or not. */
  public PatchResult check(long pid, Path bundle, String sha256OrNull, boolean allowJdkClasses)
      throws AttachFailure {
    return patchResult(
        pid, call(pid, Operation.CHECK, bundle, sha256OrNull, null, allowJdkClasses));
  }

  public PatchResult apply(long pid, Path bundle, String sha256OrNull) throws AttachFailure {
    return apply(pid, bundle, sha256OrNull, false);
  }

  /**
   * Apply; the agent refuses JDK classes unless {@code allowJdkClasses} (a HotPatch's
   * spec.allowJdkClasses).
   */
  public PatchResult apply(long pid, Path bundle, String sha256OrNull, boolean allowJdkClasses)
      throws AttachFailure {
    return patchResult(
        pid, call(pid, Operation.APPLY, bundle, sha256OrNull, null, allowJdkClasses));
  }

  public PatchResult revert(long pid, String patchId) throws AttachFailure {
    return patchResult(pid, call(pid, Operation.REVERT, null, null, patchId, false));
  }

  public AgentStatus status(long pid) throws AttachFailure {
    Properties reply = call(pid, Operation.STATUS, null, null, null, false).properties();
    if (reply.containsKey("state")) {
      PatchResult failure = patchResult(pid, new Reply(reply, Map.of()));
      throw new AttachFailure(
          Reason.AGENT_FAILED,
          "the agent in target " + pid + " could not report its status: " + failure.getMessage());
    }
    try {
      return AgentStatus.fromProperties(reply);
    } catch (RuntimeException e) {
      throw unreadable(pid, e);
    }
  }

  private Reply call(
      long pid,
      Operation operation,
      Path bundle,
      String sha256,
      String patchId,
      boolean allowJdkClasses)
      throws AttachFailure {
    PhaseClock clock = new PhaseClock();
    JvmProcess jvm = finder.find(pid);
    AttachTarget target = AttachTarget.of(proc, jvm);
    Map<String, String> self = status(proc.self());
    long uid = ProcFs.statusNumber(self, "Uid", 1, -1);
    boolean weAreRoot = uid == 0;
    clock.lap("findTarget");
    synchronized (LOCKS.computeIfAbsent(pid, key -> new Object())) {
      try (FileStager stager = new FileStager(target, weAreRoot)) {
        String bundlePath = bundle == null ? null : stager.pathInTarget(bundle);
        Optional<ResidentSocket> socket = ResidentSocket.of(target, replyTimeout);
        clock.lap("stage");
        if (socket.isPresent()) {
          Optional<String> reply =
              socket
                  .get()
                  .call(
                      request(
                          operation, bundlePath, sha256, patchId, SOCKET_REPLY, allowJdkClasses));
          if (reply.isPresent()) {
            return Reply.of(reply.get(), "socket", clock);
          }
        }
        AttachPreconditions.verify(target, uid, ProcFs.statusNumber(self, "Gid", 1, -1));
        String agentPath = stager.pathInTarget(agentJar);
        AgentRequest request =
            request(operation, bundlePath, sha256, patchId, replyKey(), allowJdkClasses);
        Attacher.Attached attached =
            new Attacher(OUR_TMP, weAreRoot, replyTimeout).call(target, agentPath, request);
        return Reply.of(attached.reply(), "attach", clock).with(attached.steps());
      }
    }
  }

  private AgentRequest request(
      Operation operation,
      String bundlePath,
      String sha256,
      String patchId,
      String replyKey,
      boolean allowJdkClasses)
      throws AttachFailure {
    return new AgentRequest(operation, bundlePath, sha256, patchId, replyKey, allowJdkClasses)
        .withAgentVersion(agentVersion());
  }

  /**
   * A reply and how it travelled: {@code socket} or {@code attach}, in ms from the call's start to
   * the reply in hand, and for an attach its steps.
   */
  private record Reply(Properties properties, Map<String, Double> transport) {
    static Reply of(String text, String way, PhaseClock sinceCall) {
      sinceCall.lap(way);
      return new Reply(WireFormat.decode(text), sinceCall.millis());
    }

    Reply with(Map<String, Double> steps) {
      Map<String, Double> all = new LinkedHashMap<>(steps);
      all.putAll(transport);
      return new Reply(properties, all);
    }
  }

  /**
   * The version of the jar this client offers, read once: an agent of another version already
   * loaded refuses.
   */
  private String agentVersion() throws AttachFailure {
    String version = agentVersion;
    if (version == null) {
      try {
        version = AgentVersion.ofJar(agentJar.toFile());
      } catch (IOException e) {
        throw new AttachFailure(
            Reason.FILE_NOT_READABLE,
            "cannot read the agent jar "
                + agentJar
                + " ("
                + e.getMessage()
                + "): reinstall hotpatch",
            e);
      }
      agentVersion = version;
    }
    return version;
  }

  private static PatchResult patchResult(long pid, Reply reply) throws AttachFailure {
    try {
      return PatchResult.fromProperties(reply.properties()).withPhases(reply.transport());
    } catch (RuntimeException e) {
      throw unreadable(pid, e);
    }
  }

  private static AttachFailure unreadable(long pid, RuntimeException e) {
    return new AttachFailure(
        Reason.AGENT_REPLY_MISSING,
        "the agent in target "
            + pid
            + " sent a reply this client cannot read ("
            + e
            + "): use the agent jar of the same hotpatch version",
        e);
  }

  private static String replyKey() {
    return WireFormat.newReplyKey(System.currentTimeMillis(), Nonces.RANDOM.nextLong());
  }

  /**
   * Seeded on first attach only: a SecureRandom costs a short command about 25 ms to set up, and
   * the socket path needs none.
   */
  private static final class Nonces {
    static final SecureRandom RANDOM = new SecureRandom();
  }

  private static Map<String, String> status(Path procDir) throws AttachFailure {
    try {
      return ProcFs.status(procDir);
    } catch (IOException e) {
      throw new AttachFailure(
          Reason.ATTACH_FAILED, "cannot read " + procDir + "/status: mount procfs at /proc", e);
    }
  }
}
