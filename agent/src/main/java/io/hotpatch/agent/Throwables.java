package io.hotpatch.agent;

/** One-line descriptions of throwables for results: never a stack trace. */
final class Throwables {
  private Throwables() {}

  static String describe(Throwable e) {
    Throwable cause = e;
    // Reflection wraps the interesting exception.
    while (cause instanceof java.lang.reflect.InvocationTargetException
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage();
    String text = cause.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    return text.replace('\n', ' ').replace('\r', ' ');
  }
}
