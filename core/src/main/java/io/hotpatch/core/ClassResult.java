package io.hotpatch.core;

/** What happened to one class (in one class loader) during a patch operation. */
public final class ClassResult extends ClassCopyOutcome {
  private final ResultState state;

  public ClassResult(String className, String loader, ResultState state, String message) {
    super(className, loader, message);
    this.state = state;
  }

  public ResultState getState() {
    return state;
  }

  @Override
  public String toString() {
    return getClassName()
        + (getLoader().isEmpty() ? "" : " [" + getLoader() + "]")
        + ": "
        + state
        + (getMessage().isEmpty() ? "" : " (" + getMessage() + ")");
  }
}
