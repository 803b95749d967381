package io.hotpatch.core;

/** Outcome of a patch operation, shared by agent, sidecar, CLI and operator. */
public enum ResultState {
  APPLIED(0),
  ALREADY_APPLIED(0),
  NOT_HOT_APPLICABLE(3),
  PRECONDITION_FAILED(4),
  FAILED(1),
  REVERTED(0);

  private final int exitCode;

  ResultState(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The CLI exit code for this state: 0, 3, 4 or 1 (README: exit codes). */
  public int exitCode() {
    return exitCode;
  }
}
