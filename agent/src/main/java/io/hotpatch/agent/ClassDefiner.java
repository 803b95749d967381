package io.hotpatch.agent;

import java.lang.instrument.Instrumentation;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;

/**
 * Defines classes that are new with a patch in an application's class loader, on Java 8 to 25: next
 * to a loaded class through a private lookup (Java 9+), or through ClassLoader.defineClass when the
 * class that uses it is itself still being loaded.
 */
final class ClassDefiner {
  private final Instrumentation inst;

  ClassDefiner(Instrumentation inst) {
    this.inst = inst;
  }

  /** Defines the class in the loader and package of {@code host}, which is loaded. */
  Class<?> defineNextTo(Class<?> host, String className, byte[] classFile) throws Exception {
    boolean samePackage = Loaders.packageOf(host.getName()).equals(Loaders.packageOf(className));
    if (!ModuleAccess.isModular() || !samePackage) {
      return defineInLoader(
          host.getClassLoader(), className, classFile, host.getProtectionDomain());
    }
    ModuleAccess.openPackageOf(inst, host);
    Method privateLookupIn =
        MethodHandles.class.getMethod("privateLookupIn", Class.class, MethodHandles.Lookup.class);
    Object lookup = privateLookupIn.invoke(null, host, MethodHandles.lookup());
    return (Class<?>)
        MethodHandles.Lookup.class.getMethod("defineClass", byte[].class).invoke(lookup, classFile);
  }

  /** Defines the class directly in a loader; used while the class that needs it is being loaded. */
  Class<?> defineInLoader(
      ClassLoader loader, String className, byte[] classFile, ProtectionDomain domain)
      throws Exception {
    if (loader == null) {
      throw new IllegalStateException(
          "new classes cannot be defined in the bootstrap class loader");
    }
    ModuleAccess.openPackageOf(inst, ClassLoader.class);
    Method defineClass =
        ClassLoader.class.getDeclaredMethod(
            "defineClass",
            String.class,
            byte[].class,
            int.class,
            int.class,
            ProtectionDomain.class);
    defineClass.setAccessible(true);
    return (Class<?>) defineClass.invoke(loader, className, classFile, 0, classFile.length, domain);
  }
}
