package io.hotpatch.cli;

/** A failure the user can act on: its message is "cause: fix" and it carries the exit code. */
final class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Exit code for bad arguments (README: exit codes). */
  static final int USAGE = 2;

  /** Exit code for any failure without a more specific code. */
  static final int FAILURE = 1;

  private final int exitCode;

  CliException(int exitCode, String causeAndFix) {
    super(causeAndFix);
    this.exitCode = exitCode;
  }

  static CliException failure(String causeAndFix) {
    return new CliException(FAILURE, causeAndFix);
  }

  static CliException usage(String causeAndFix) {
    return new CliException(USAGE, causeAndFix);
  }

  int exitCode() {
    return exitCode;
  }
}
