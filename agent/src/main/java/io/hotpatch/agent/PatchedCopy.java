package io.hotpatch.agent;

import java.lang.ref.WeakReference;

/** One copy of a class, in one class loader, that a patch replaced: the bytes before and after. */
final class PatchedCopy {
  private final String className;
  private final WeakReference<ClassLoader> loader;
  private final boolean bootstrap;
  private final String loaderName;
  private final byte[] previous;
  private final byte[] installed;

  PatchedCopy(String className, ClassLoader loader, byte[] previous, byte[] installed) {
    this.className = className;
    // Weak, so that a patch does not keep an undeployed application's loader alive.
    this.loader = new WeakReference<ClassLoader>(loader);
    this.bootstrap = loader == null;
    this.loaderName = Loaders.describe(loader);
    this.previous = previous;
    this.installed = installed;
  }

  String className() {
    return className;
  }

  String loaderName() {
    return loaderName;
  }

  byte[] previous() {
    return previous;
  }

  byte[] installed() {
    return installed;
  }

  boolean isCopyOf(String name, ClassLoader candidate) {
    if (!className.equals(name)) {
      return false;
    }
    return candidate == null ? bootstrap : !bootstrap && loader.get() == candidate;
  }
}
