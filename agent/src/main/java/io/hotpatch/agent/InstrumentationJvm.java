package io.hotpatch.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.List;

/**
 * The real {@link JvmAccess}: java.lang.instrument plus class files read from the class loaders.
 */
final class InstrumentationJvm implements JvmAccess {
  private final Instrumentation inst;
  private final ClassDefiner definer;
  private final LoadedClassReader loadedClasses;

  InstrumentationJvm(Instrumentation inst) {
    this.inst = inst;
    this.definer = new ClassDefiner(inst);
    this.loadedClasses = new LoadedClassReader(inst);
  }

  ClassDefiner definer() {
    return definer;
  }

  @Override
  public Class<?>[] loadedClasses() {
    return inst.getAllLoadedClasses();
  }

  @Override
  public byte[] classFile(ClassLoader loader, String className) {
    String path = className.replace('.', '/') + ".class";
    InputStream in =
        loader == null
            ? ClassLoader.getSystemResourceAsStream(path)
            : loader.getResourceAsStream(path);
    if (in == null) {
      return null;
    }
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[8192];
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      return null;
    } finally {
      try {
        in.close();
      } catch (IOException ignored) {
        // nothing was written
      }
    }
  }

  @Override
  public RunningBytes runningBytes(Class<?> type) {
    ClassLoader loader = type.getClassLoader();
    String path = type.getName().replace('.', '/') + ".class";
    URL source = loader == null ? ClassLoader.getSystemResource(path) : loader.getResource(path);
    return loadedClasses.read(type, classFile(loader, type.getName()), source);
  }

  @Override
  public boolean isModifiable(Class<?> type) {
    return inst.isModifiableClass(type);
  }

  @Override
  public void redefine(List<ClassDefinition> definitions) throws Exception {
    inst.redefineClasses(definitions.toArray(new ClassDefinition[0]));
  }

  @Override
  public Class<?> defineNextTo(Class<?> host, String className, byte[] classFile) throws Exception {
    return definer.defineNextTo(host, className, classFile);
  }
}
