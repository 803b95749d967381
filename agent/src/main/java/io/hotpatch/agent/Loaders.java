package io.hotpatch.agent;

import java.lang.reflect.Method;

/** Short, stable names for class loaders in results ("app", "bootstrap", "MyLoader@1b6d3586"). */
final class Loaders {
  private Loaders() {}

  static String describe(ClassLoader loader) {
    if (loader == null) {
      return "bootstrap";
    }
    if (loader == ClassLoader.getSystemClassLoader()) {
      return "app";
    }
    String name = nameOf(loader);
    return (name == null || name.isEmpty() ? loader.getClass().getName() : name)
        + "@"
        + Integer.toHexString(System.identityHashCode(loader));
  }

  /** ClassLoader.getName() exists from Java 9 on. */
  private static String nameOf(ClassLoader loader) {
    try {
      Method getName = ClassLoader.class.getMethod("getName");
      return (String) getName.invoke(loader);
    } catch (Exception e) {
      return null;
    }
  }

  static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  /** {@code a.Foo} for {@code a.Foo$1$2}. */
  static String outerOf(String className) {
    int dollar = className.indexOf('$', className.lastIndexOf('.') + 1);
    return dollar < 0 ? className : className.substring(0, dollar);
  }

  static String shortId(String patchId) {
    return patchId.length() > 12 ? patchId.substring(0, 12) : patchId;
  }
}
