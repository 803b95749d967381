package io.hotpatch.core;

/**
 * What happened to one class in one class loader: the common part of operation results and status
 * entries.
 */
public abstract class ClassCopyOutcome {
  private final String className;
  private final String loader;
  private final String message;

  ClassCopyOutcome(String className, String loader, String message) {
    this.className = className;
    this.loader = loader == null ? "" : loader;
    this.message = message == null ? "" : message;
  }

  /** Binary class name, for example {@code com.example.Price$1}. */
  public String getClassName() {
    return className;
  }

  /** The class loader that holds this copy of the class, or empty when no copy is loaded. */
  public String getLoader() {
    return loader;
  }

  public String getMessage() {
    return message;
  }
}
