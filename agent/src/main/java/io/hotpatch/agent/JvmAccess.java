package io.hotpatch.agent;

import java.lang.instrument.ClassDefinition;
import java.util.List;

/**
 * What the patch logic needs from the JVM, behind an interface so it can be tested without an
 * attach.
 */
interface JvmAccess {
  /** Every class loaded in the JVM, in all class loaders. */
  Class<?>[] loadedClasses();

  /**
   * The class file this loader (null: bootstrap) serves for the class, or null when it has none.
   */
  byte[] classFile(ClassLoader loader, String className);

  /**
   * What this loaded class runs: its class file while that is unchanged, else the JVM's own copy.
   */
  RunningBytes runningBytes(Class<?> type);

  boolean isModifiable(Class<?> type);

  /** Redefines all classes in one call: the JVM applies all or none. */
  void redefine(List<ClassDefinition> definitions) throws Exception;

  /** Defines a new class in the loader of {@code host}, which is loaded. */
  Class<?> defineNextTo(Class<?> host, String className, byte[] classFile) throws Exception;
}
