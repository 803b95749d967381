package io.hotpatch.core;

/** What happened to one class (in one class loader) during a patch operation. */
public final class ClassResult {
  private final String className;
  private final String loader;
  private final ResultState state;
  private final String message;

  public ClassResult(String className, String loader, ResultState state, String message) {
    this.className = className;
    this.loader = loader;
    this.state = state;
    this.message = message == null ? "" : message;
  }

  /** Binary class name, for example {@code com.example.Price$1}. */
  public String getClassName() {
    return className;
  }

  /** The class loader that holds this copy of the class, or empty when not loaded. */
  public String getLoader() {
    return loader;
  }

  public ResultState getState() {
    return state;
  }

  public String getMessage() {
    return message;
  }

  @Override
  public String toString() {
    return className + (loader.isEmpty() ? "" : " [" + loader + "]") + ": " + state
        + (message.isEmpty() ? "" : " (" + message + ")");
  }
}
