package io.hotpatch.sidecar;

/** Why an attach or an agent call failed, as one line naming the cause and the fix. */
public final class AttachFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** The kinds of failure, so callers can react without parsing the message. */
  public enum Reason {
    NO_SUCH_PROCESS,
    NOT_A_JVM,
    UID_MISMATCH,
    ATTACH_DISABLED,
    DYNAMIC_AGENT_LOADING_DISABLED,
    SIGNALS_REDUCED,
    AGENT_LOAD_FAILED,
    AGENT_FAILED,
    AGENT_REPLY_MISSING,
    FILE_NOT_READABLE,
    ATTACH_FAILED
  }

  private final Reason reason;

  public AttachFailure(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public AttachFailure(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  static AttachFailure noSuchProcess(long pid) {
    return new AttachFailure(
        Reason.NO_SUCH_PROCESS,
        "no process with pid " + pid + ": check the pid with `hotpatch jvms`");
  }

  static AttachFailure notAJvm(long pid, String command) {
    return new AttachFailure(
        Reason.NOT_A_JVM,
        "process "
            + pid
            + " is not a JVM ("
            + abbreviate(command)
            + "): pick a pid that `hotpatch jvms` lists");
  }

  static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
