package io.hotpatch.agent;

import java.lang.instrument.ClassDefinition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A {@link JvmAccess} that records redefinitions and definitions instead of making them. */
final class TestingJvm implements JvmAccess {
  final List<Class<?>> loaded = new ArrayList<Class<?>>();
  final Map<String, byte[]> classFiles = new HashMap<String, byte[]>();
  final List<List<ClassDefinition>> redefinitions = new ArrayList<List<ClassDefinition>>();
  final List<String> defined = new ArrayList<String>();
  RuntimeException refuseRedefinition;
  int runningBytesReads;

  TestingJvm load(Class<?>... types) {
    for (Class<?> type : types) {
      loaded.add(type);
      classFiles.put(type.getName(), ClassFiles.of(type));
    }
    return this;
  }

  /** The bytes the JVM would run for this class after the recorded redefinitions. */
  byte[] running(Class<?> type) {
    byte[] bytes = classFiles.get(type.getName());
    for (List<ClassDefinition> batch : redefinitions) {
      for (ClassDefinition definition : batch) {
        if (definition.getDefinitionClass() == type) {
          bytes = definition.getDefinitionClassFile();
        }
      }
    }
    return bytes;
  }

  @Override
  public Class<?>[] loadedClasses() {
    return loaded.toArray(new Class<?>[0]);
  }

  @Override
  public byte[] classFile(ClassLoader loader, String className) {
    return classFiles.get(className);
  }

  @Override
  public RunningBytes runningBytes(Class<?> type) {
    runningBytesReads++;
    return new RunningBytes(classFiles.get(type.getName()), "");
  }

  @Override
  public boolean isModifiable(Class<?> type) {
    return true;
  }

  @Override
  public void redefine(List<ClassDefinition> definitions) {
    if (refuseRedefinition != null) {
      throw refuseRedefinition;
    }
    redefinitions.add(new ArrayList<ClassDefinition>(definitions));
  }

  @Override
  public Class<?> defineNextTo(Class<?> host, String className, byte[] classFile) {
    defined.add(className + " next to " + host.getName());
    return host;
  }

  @Override
  public String toString() {
    return "TestingJvm" + Arrays.toString(loadedClasses());
  }
}
