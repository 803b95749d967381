package io.hotpatch.sidecar;

import io.hotpatch.sidecar.AttachFailure.Reason;
import java.util.Optional;

/**
 * Checks up front what would make an attach fail, so the user reads the precise cause and fix
 * instead of a timeout (and the target is not sent signals it would answer with a thread dump).
 */
final class AttachPreconditions {
  private static final long ROOT = 0;

  private AttachPreconditions() {}

  static void verify(AttachTarget target, long ourUid, long ourGid) throws AttachFailure {
    long pid = target.pid();
    if (ourUid != ROOT && ourUid != target.uid()) {
      throw new AttachFailure(
          Reason.UID_MISMATCH,
          "target "
              + pid
              + " runs as uid "
              + target.uid()
              + ", this process as uid "
              + ourUid
              + ": run as uid "
              + target.uid()
              + " (e.g. sudo -u) or as root");
    }
    if (ourUid != ROOT && ourGid != target.gid()) {
      throw new AttachFailure(
          Reason.UID_MISMATCH,
          "target "
              + pid
              + " runs as gid "
              + target.gid()
              + ", this process as gid "
              + ourGid
              + ": run as uid "
              + target.uid()
              + " with gid "
              + target.gid()
              + " (e.g. sudo -u -g) or as root");
    }
    if (flag(target, "DisableAttachMechanism").orElse(false)) {
      throw new AttachFailure(
          Reason.ATTACH_DISABLED,
          "target "
              + pid
              + " runs with -XX:+DisableAttachMechanism, so nothing can attach to it:"
              + " restart it without that flag, or load the agent at start with -javaagent");
    }
    if (!flag(target, "EnableDynamicAgentLoading").orElse(true)) {
      throw disabledDynamicLoading(pid);
    }
    if (!target.hasSocket()) {
      if (target.jvmOptions().contains("-Xrs")) {
        throw new AttachFailure(
            Reason.SIGNALS_REDUCED,
            "target "
                + pid
                + " runs with -Xrs, so it cannot be signalled to start its attach"
                + " listener: restart it without -Xrs or with -XX:+StartAttachListener");
      }
      if (!target.catchesSigQuit()) {
        throw new AttachFailure(
            Reason.SIGNALS_REDUCED,
            "target "
                + pid
                + " does not handle SIGQUIT (still starting, or signals reduced), so"
                + " signalling it could end it: retry once it is up, or start it with"
                + " -XX:+StartAttachListener");
      }
    }
  }

  static AttachFailure disabledDynamicLoading(long pid) {
    return new AttachFailure(
        Reason.DYNAMIC_AGENT_LOADING_DISABLED,
        "target "
            + pid
            + " runs with -XX:-EnableDynamicAgentLoading, so it refuses agents after"
            + " start: restart it with -XX:+EnableDynamicAgentLoading, or load the agent at start"
            + " with -javaagent");
  }

  private static Optional<Boolean> flag(AttachTarget target, String name) {
    return JvmCommandLine.booleanFlag(target.jvmOptions(), name);
  }
}
