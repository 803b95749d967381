package io.hotpatch.cli;

import io.hotpatch.core.BundleException;
import io.hotpatch.core.BundleLimits;
import io.hotpatch.core.ClassDigest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.objectweb.asm.ClassReader;

/**
 * Reads every class file of a build, keyed by the binary name each class declares, validating every
 * one: a jar, a directory of classes, and the archives real builds ship, whose classes sit in
 * nested jars (a Spring Boot fat jar's {@code BOOT-INF/classes} and {@code BOOT-INF/lib}, a WAR's
 * {@code WEB-INF/classes} and {@code WEB-INF/lib}, a Quarkus {@code quarkus-app} directory's {@code
 * app/}, {@code lib/main/} and {@code quarkus/} jars). Where a class appears twice the first copy
 * wins, in the order a class-path loader searches: an archive's own classes before its nested jars.
 */
final class ClassFiles {
  /**
   * Quarkus serves these before the libraries: they hold the classes its build transformed or
   * generated.
   */
  private static final List<String> QUARKUS_FIRST =
      List.of("transformed-bytecode.jar", "generated-bytecode.jar");

  private final Build build = new Build();

  private ClassFiles() {}

  static Build read(Path source) {
    ClassFiles reader = new ClassFiles();
    if (Files.isDirectory(source)) {
      reader.readDirectory(source);
    } else if (Files.isRegularFile(source)) {
      reader.readJar(source);
    } else {
      throw CliException.usage(
          source
              + " does not exist: pass a jar, a WAR, a directory of class files or a"
              + " Quarkus quarkus-app directory");
    }
    if (reader.build.classes().isEmpty()) {
      throw CliException.usage(
          source
              + " holds no class files ("
              + CliCommand.plural(reader.build.archives(), "archive", "archives")
              + " read, nested jars included): pass the application itself:"
              + " its jar, Spring Boot fat jar, WAR, class directory or Quarkus quarkus-app directory, not a launcher");
    }
    return reader.build;
  }

  private void readJar(Path jar) {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      BundleLimits limits = BundleLimits.forBuild(jar.toString(), Files.size(jar));
      build.archiveRead();
      List<ZipEntry> nested = new ArrayList<>();
      for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
        ZipEntry entry = entries.nextElement();
        limits.countEntry();
        if (isNestedJar(entry)) {
          nested.add(entry);
        } else if (isClassFile(entry)) {
          try (InputStream in = zip.getInputStream(entry)) {
            add(jar + "!/" + entry.getName(), limits.inflate(in, entry.getName(), true));
          }
        }
      }
      for (ZipEntry entry : nested) {
        try (InputStream in = zip.getInputStream(entry)) {
          readNested(jar + "!/" + entry.getName(), limits.counted(in), 1);
        }
      }
    } catch (ZipException e) {
      throw CliException.failure(
          jar + " is not a jar (" + e.getMessage() + "): pass a jar or a directory of class files");
    } catch (BundleException e) {
      throw CliException.failure(e.getMessage());
    } catch (IOException e) {
      throw unreadable(jar.toString(), e);
    }
  }

  /** A jar inside an archive, read as it streams: nothing of it but its class files is kept. */
  private void readNested(String where, InputStream in, int depth)
      throws IOException, BundleException {
    if (depth > BundleLimits.MAX_BUILD_NESTING) {
      throw CliException.failure(
          where
              + " nests jars more than "
              + BundleLimits.MAX_BUILD_NESTING
              + " deep, the most a build may: diff the application's own archive");
    }
    // The nested jar's own size is unknown while it streams: its bytes count against the outer
    // archive's ratio.
    BundleLimits limits =
        BundleLimits.forBuild(
            where, BundleLimits.MAX_BUILD_UNPACKED_BYTES / BundleLimits.MAX_RATIO);
    ZipInputStream zip = new ZipInputStream(in);
    boolean sawEntry = false;
    for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
      sawEntry = true;
      limits.countEntry();
      if (isNestedJar(entry)) {
        readNested(where + "!/" + entry.getName(), limits.counted(zip), depth + 1);
      } else if (isClassFile(entry)) {
        add(where + "!/" + entry.getName(), limits.inflate(zip, entry.getName(), true));
      }
    }
    if (!sawEntry) {
      throw CliException.failure(
          where + " is not a jar (no zip entries): rebuild the archive that holds it");
    }
    build.archiveRead();
  }

  private void readDirectory(Path dir) {
    List<Path> classFiles = new ArrayList<>();
    List<Path> jars = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String path = dir.relativize(file).toString().replace('\\', '/');
        if (isClassFile(path)) {
          classFiles.add(file);
        } else if (path.endsWith(".jar")) {
          jars.add(file);
        }
      }
      for (Path file : classFiles) {
        if (Files.size(file) > BundleLimits.MAX_ENTRY_BYTES) {
          throw CliException.failure(
              file
                  + " is larger than "
                  + (BundleLimits.MAX_ENTRY_BYTES >> 20)
                  + " MiB, the most one class file may be: it is not a class file of this build; remove it");
        }
        add(file.toString(), Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw unreadable(dir.toString(), e);
    }
    jars.sort(
        Comparator.comparing((Path jar) -> !QUARKUS_FIRST.contains(jar.getFileName().toString())));
    jars.forEach(this::readJar);
    if (!classFiles.isEmpty()) {
      build.archiveRead();
    }
  }

  private static boolean isNestedJar(ZipEntry entry) {
    return !entry.isDirectory() && entry.getName().endsWith(".jar");
  }

  private static boolean isClassFile(ZipEntry entry) {
    return !entry.isDirectory() && isClassFile(entry.getName());
  }

  // Multi-release variants and module descriptors are not patch targets.
  private static boolean isClassFile(String path) {
    return path.endsWith(".class")
        && !path.startsWith("META-INF/")
        && !path.endsWith("module-info.class");
  }

  private void add(String where, byte[] bytes) {
    String name;
    try {
      name = new ClassReader(bytes).getClassName().replace('/', '.');
      ClassDigest.of(bytes); // parses the whole class, so a truncated or corrupt file fails here
    } catch (RuntimeException e) {
      throw CliException.failure(
          where
              + " is not a valid class file ("
              + e.getClass().getSimpleName()
              + "): rebuild it with javac and diff again");
    }
    String first = build.add(name, bytes, where);
    if (first != null && !Arrays.equals(build.classes().get(name), bytes)) {
      build.warn(
          name
              + " is in both "
              + first
              + " and "
              + where
              + ": diffed the first, the copy a class-path"
              + " loader finds; check which one your application loads");
    }
  }

  private static CliException unreadable(String what, IOException e) {
    if (e.getCause() instanceof BundleException refusal) {
      return CliException.failure(refusal.getMessage());
    }
    return CliException.failure(
        "cannot read " + what + " (" + e.getMessage() + "): check the path and its permissions");
  }
}
