package io.hotpatch.core;

/**
 * What became of one bundle class, in one class loader, in a JVM: patched, waiting to load, or
 * skipped.
 */
public final class PatchedClass extends ClassCopyOutcome {
  /** Where the class stands. */
  public enum State {
    /** The JVM runs the patch's version of the class. */
    PATCHED,
    /** Not loaded yet: substituted when it loads, after the digest check. */
    PENDING,
    /** Left as it was, for the reason in the message (a version mismatch, say). */
    SKIPPED
  }

  private final State state;

  public PatchedClass(String className, String loader, State state, String message) {
    super(className, loader, message);
    this.state = state;
  }

  public State getState() {
    return state;
  }
}
