package io.hotpatch.core;

/** A bundle that cannot be used: not a jar, a corrupt class file, a digest that does not match. */
public final class BundleException extends Exception {
  private static final long serialVersionUID = 1L;

  public BundleException(String message) {
    super(message);
  }

  public BundleException(String message, Throwable cause) {
    super(message, cause);
  }
}
