package io.hotpatch.agent;

import java.io.File;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.attribute.FileTime;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads what a loaded class runs. Its class file is the truth only when the file it came from has
 * not changed since the JVM started: a jar overwritten by the next build while the JVM runs serves
 * the new bytes while the old code runs. Otherwise the JVM's own copy is read back by
 * retransformation (one redefinition of the class with its own bytes, so only on that path); those
 * bytes are rebuilt by the JVM and compare with class files through {@link
 * io.hotpatch.core.ClassDigest}.
 */
final class LoadedClassReader {
  /**
   * Coarse file systems round times down by up to a second: a file changed that close to start is
   * suspect.
   */
  private static final long TIME_SLACK_MILLIS = 1000;

  private final Instrumentation inst;

  /** Per source file: null when unchanged, else why it cannot be trusted. Lives for one plan. */
  private final Map<String, String> verdicts = new HashMap<String, String>();

  LoadedClassReader(Instrumentation inst) {
    this.inst = inst;
  }

  RunningBytes read(Class<?> type, byte[] classFile, URL source) {
    String distrust = classFile == null ? "it has no readable class file" : distrust(source);
    if (distrust == null) {
      return new RunningBytes(classFile, "");
    }
    String note = "read back from the JVM because " + distrust;
    if (!inst.isRetransformClassesSupported() || !inst.isModifiableClass(type)) {
      return new RunningBytes(null, distrust + " and the JVM cannot hand back the class it runs");
    }
    Capture capture = new Capture(type);
    inst.addTransformer(capture, true);
    try {
      inst.retransformClasses(type);
    } catch (Throwable e) {
      return new RunningBytes(
          null,
          distrust
              + " and the JVM could not hand back the class it runs ("
              + Throwables.describe(e)
              + ")");
    } finally {
      inst.removeTransformer(capture);
    }
    return capture.bytes == null
        ? new RunningBytes(
            null, distrust + " and the JVM handed back no bytes for the class it runs")
        : new RunningBytes(capture.bytes, note);
  }

  /**
   * Null when the class file's source is unchanged since the JVM started, else the reason it is not
   * trusted.
   */
  private String distrust(URL source) {
    if (source == null) {
      return "its class file cannot be located";
    }
    if ("jrt".equals(source.getProtocol())) {
      return null; // the JDK's own image
    }
    File file = fileOf(source.toString());
    if (file == null) {
      return "its class file comes from "
          + source.getProtocol()
          + ": URLs, which cannot be checked for changes";
    }
    String key = file.getPath();
    if (!verdicts.containsKey(key)) {
      verdicts.put(key, changedSinceStart(file));
    }
    return verdicts.get(key);
  }

  private String changedSinceStart(File file) {
    try {
      long changed = Files.getLastModifiedTime(file.toPath()).toMillis();
      try {
        changed =
            Math.max(
                changed, ((FileTime) Files.getAttribute(file.toPath(), "unix:ctime")).toMillis());
      } catch (Exception e) {
        // no ctime on this platform: the modification time alone
      }
      return changed < JvmStart.millis() - TIME_SLACK_MILLIS
          ? null
          : file
              + " changed on disk after the JVM started (or within "
              + TIME_SLACK_MILLIS
              + " ms before)";
    } catch (Exception e) {
      return file + " cannot be read (" + e.getClass().getSimpleName() + ")";
    }
  }

  /**
   * The file on disk behind a class file URL: {@code file:/c/A.class}, {@code
   * jar:file:/app.jar!/A.class}, nested jars {@code jar:file:/app.jar!/BOOT-INF/lib/x.jar!/A.class}
   * and Spring Boot's {@code jar:nested:/app.jar/!BOOT-INF/classes/!/A.class} give the outer file;
   * null for other schemes.
   */
  static File fileOf(String url) {
    String rest = url;
    while (rest.startsWith("jar:")) {
      rest = rest.substring(4);
    }
    int bang = rest.indexOf('!');
    String outer = bang < 0 ? rest : rest.substring(0, bang);
    try {
      if (outer.startsWith("file:")) {
        return new File(new URI(outer));
      }
      if (outer.startsWith("nested:")) {
        String path = outer.substring("nested:".length());
        return new File(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
      }
    } catch (Exception e) {
      return null;
    }
    return null;
  }

  /** Keeps the bytes the JVM hands back for one class and changes nothing. */
  private static final class Capture implements ClassFileTransformer {
    private final Class<?> type;
    private volatile byte[] bytes;

    Capture(Class<?> type) {
      this.type = type;
    }

    @Override
    public byte[] transform(
        ClassLoader loader,
        String name,
        Class<?> redefined,
        ProtectionDomain domain,
        byte[] classFile) {
      if (redefined == type) {
        bytes = classFile.clone();
      }
      return null;
    }
  }
}
