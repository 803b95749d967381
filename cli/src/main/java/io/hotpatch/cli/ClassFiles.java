package io.hotpatch.cli;

import io.hotpatch.core.ClassDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.objectweb.asm.ClassReader;

/**
 * Reads the class files of a jar or of a directory of classes, keyed by the binary name each class
 * declares (so Spring Boot's {@code BOOT-INF/classes/} layout works too), validating every one.
 */
final class ClassFiles {
  private ClassFiles() {}

  static SortedMap<String, byte[]> read(Path source) {
    if (Files.isDirectory(source)) {
      return readDirectory(source);
    }
    if (!Files.isRegularFile(source)) {
      throw CliException.usage(source + " does not exist: pass a jar or a directory of class files");
    }
    return readJar(source);
  }

  private static SortedMap<String, byte[]> readJar(Path jar) {
    SortedMap<String, byte[]> classes = new TreeMap<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        if (isClassFile(entry.getName()) && !entry.isDirectory()) {
          try (InputStream in = zip.getInputStream(entry)) {
            add(classes, jar + "!/" + entry.getName(), in.readAllBytes());
          }
        }
      }
    } catch (ZipException e) {
      throw CliException.failure(jar + " is not a jar (" + e.getMessage() + "): pass a jar or a directory of class files");
    } catch (IOException e) {
      throw CliException.failure("cannot read " + jar + " (" + e.getMessage() + "): check the path and its permissions");
    }
    return classes;
  }

  private static SortedMap<String, byte[]> readDirectory(Path dir) {
    SortedMap<String, byte[]> classes = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (isClassFile(dir.relativize(file).toString().replace('\\', '/'))) {
          add(classes, file.toString(), Files.readAllBytes(file));
        }
      }
    } catch (IOException e) {
      throw CliException.failure("cannot read " + dir + " (" + e.getMessage() + "): check the path and its permissions");
    }
    return classes;
  }

  // Multi-release variants and module descriptors are not patch targets.
  private static boolean isClassFile(String path) {
    return path.endsWith(".class") && !path.startsWith("META-INF/") && !path.endsWith("module-info.class");
  }

  private static void add(SortedMap<String, byte[]> classes, String where, byte[] bytes) {
    String name;
    try {
      name = new ClassReader(bytes).getClassName().replace('/', '.');
      ClassDigest.of(bytes); // parses the whole class, so a truncated or corrupt file fails here
    } catch (RuntimeException e) {
      throw CliException.failure(where + " is not a valid class file (" + e.getClass().getSimpleName()
          + "): rebuild it with javac and diff again");
    }
    if (classes.put(name, bytes) != null) {
      throw CliException.failure(where + " declares class " + name + " a second time: diff a jar with one copy of each class");
    }
  }
}
