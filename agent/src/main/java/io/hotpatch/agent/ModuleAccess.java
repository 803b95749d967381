package io.hotpatch.agent;

import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Opens packages to the agent on Java 9+ through {@code Instrumentation.redefineModule}, called by
 * reflection because the agent is compiled for Java 8. A no-op on Java 8.
 */
final class ModuleAccess {
  private ModuleAccess() {}

  static boolean isModular() {
    try {
      Class.class.getMethod("getModule");
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }

  /** Opens the package of {@code type} (for example java.lang) to the agent's module. */
  static void openPackageOf(Instrumentation inst, Class<?> type) throws Exception {
    if (!isModular()) {
      return;
    }
    Class<?> moduleClass = Class.forName("java.lang.Module");
    Method getModule = Class.class.getMethod("getModule");
    Object target = getModule.invoke(type);
    Object agent = getModule.invoke(ModuleAccess.class);
    String pkg = Loaders.packageOf(type.getName());
    // Opened even when isOpen already says so: on Java 9 to 15 that can be the illegal-access open
    // of the JDK's packages, which prints a warning into the application's output on first use;
    // an explicit open is recorded and silences it.
    Map<String, Set<Object>> opens = Collections.singletonMap(pkg, Collections.singleton(agent));
    Instrumentation.class
        .getMethod(
            "redefineModule", moduleClass, Set.class, Map.class, Map.class, Set.class, Map.class)
        .invoke(
            inst,
            target,
            Collections.emptySet(),
            Collections.emptyMap(),
            opens,
            Collections.emptySet(),
            Collections.emptyMap());
  }
}
