package io.hotpatch.testkit;

import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;

/**
 * The sample service packed as real frameworks ship it, built with javac and the JDK's zip API: a
 * Spring Boot fat jar, an executable WAR and a Quarkus fast-jar directory, each with its launcher.
 * In every shape the service's main class is the application's own and {@code shop.PriceCalculator}
 * lives in a dependency jar, so two versions differ in one nested jar only.
 */
public final class PackagedBuilds {
  /** Main class of fat jars and WARs (starts the application from its nested jars). */
  public static final String NESTED_LAUNCHER = "launch.NestedJarLauncher";

  /** Main class of {@code quarkus-run.jar}. */
  public static final String DIRECTORY_LAUNCHER = "launch.DirectoryLauncher";

  /** How an application is packed: where its own classes and its libraries go. */
  public enum Shape {
    SPRING_BOOT_JAR("BOOT-INF/classes/", "BOOT-INF/lib/"),
    WAR("WEB-INF/classes/", "WEB-INF/lib/"),
    QUARKUS_APP("app/", "lib/main/");

    private final String classes;
    private final String lib;

    Shape(String classes, String lib) {
      this.classes = classes;
      this.lib = lib;
    }
  }

  private PackagedBuilds() {}

  /**
   * Packs one version of the sample into {@code dir}: {@code checkout-<v>.jar}, {@code
   * checkout-<v>.war} or {@code quarkus-app-<v>/}; returns the archive or directory, and for
   * Quarkus the runner jar is {@link #quarkusRunner(Path)}.
   */
  public static Path pack(Shape shape, SampleVersion version, Path dir, int release) {
    Map<String, byte[]> classes =
        SampleBuilds.compile(SampleBuilds.sampleSources(version), release);
    Map<String, byte[]> app =
        Map.of(SampleVersion.MAIN_CLASS, classes.remove(SampleVersion.MAIN_CLASS));
    Map<String, byte[]> library = classes;
    try {
      Files.createDirectories(dir);
      return switch (shape) {
        case SPRING_BOOT_JAR ->
            nested(
                shape,
                app,
                library,
                dir.resolve("checkout-" + version.directory() + ".jar"),
                release);
        case WAR ->
            nested(
                shape,
                app,
                library,
                dir.resolve("checkout-" + version.directory() + ".war"),
                release);
        case QUARKUS_APP ->
            quarkus(app, library, dir.resolve("quarkus-app-" + version.directory()), release);
      };
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The launcher jar of a Quarkus fast-jar directory: only a manifest, its launcher sits in {@code
   * lib/boot/}.
   */
  public static Path quarkusRunner(Path quarkusApp) {
    return quarkusApp.resolve("quarkus-run.jar");
  }

  private static Path nested(
      Shape shape, Map<String, byte[]> app, Map<String, byte[]> library, Path archive, int release)
      throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    launcher(NESTED_LAUNCHER, release).forEach((name, bytes) -> entries.put(path(name), bytes));
    app.forEach((name, bytes) -> entries.put(shape.classes + path(name), bytes));
    entries.put(shape.lib + "pricing-1.0.jar", jar(library, null));
    Manifest manifest = manifest(NESTED_LAUNCHER);
    manifest.getMainAttributes().putValue("Launcher-Classes", shape.classes);
    manifest.getMainAttributes().putValue("Launcher-Lib", shape.lib);
    Files.write(archive, zip(entries, manifest));
    return archive;
  }

  private static Path quarkus(
      Map<String, byte[]> app, Map<String, byte[]> library, Path root, int release)
      throws IOException {
    Files.createDirectories(root.resolve("app"));
    Files.createDirectories(root.resolve("lib/main"));
    Files.createDirectories(root.resolve("quarkus"));
    Files.createDirectories(root.resolve("lib/boot"));
    Manifest runner = manifest(DIRECTORY_LAUNCHER);
    runner.getMainAttributes().put(Attributes.Name.CLASS_PATH, "lib/boot/bootstrap-runner-1.0.jar");
    Files.write(quarkusRunner(root), jar(Map.of(), runner));
    Files.write(
        root.resolve("lib/boot/bootstrap-runner-1.0.jar"),
        jar(launcher(DIRECTORY_LAUNCHER, release), null));
    Files.write(root.resolve("app/checkout-1.0.jar"), jar(app, null));
    Files.write(root.resolve("lib/main/pricing-1.0.jar"), jar(library, null));
    Files.write(
        root.resolve("quarkus/generated-bytecode.jar"),
        jar(
            SampleBuilds.compile(
                Map.of(
                    "io.quarkus.runner.Generated",
                    "package io.quarkus.runner; public final class Generated { }"),
                release),
            null));
    return root;
  }

  private static Map<String, byte[]> launcher(String mainClass, int release) {
    String simpleName = mainClass.substring(mainClass.lastIndexOf('.') + 1);
    String resource = "launch/" + simpleName + ".java";
    try (InputStream in = PackagedBuilds.class.getResourceAsStream(resource)) {
      return SampleBuilds.compile(
          Map.of(mainClass, new String(in.readAllBytes(), StandardCharsets.UTF_8)), release);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException(
          "launcher source " + resource + " is missing from the testkit jar", e);
    }
  }

  private static Manifest manifest(String mainClass) {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, mainClass);
    manifest.getMainAttributes().putValue("Start-Class", SampleVersion.MAIN_CLASS);
    return manifest;
  }

  private static byte[] jar(Map<String, byte[]> classes, Manifest manifest) throws IOException {
    Map<String, byte[]> entries = new TreeMap<>();
    classes.forEach((name, bytes) -> entries.put(path(name), bytes));
    return zip(entries, manifest);
  }

  private static String path(String className) {
    return className.replace('.', '/') + ".class";
  }

  /**
   * A jar of the entries in order; nested jars are stored uncompressed, as Spring Boot requires.
   */
  private static byte[] zip(Map<String, byte[]> entries, Manifest manifest) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (JarOutputStream jar =
        manifest == null ? new JarOutputStream(bytes) : new JarOutputStream(bytes, manifest)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        JarEntry next = new JarEntry(entry.getKey());
        if (entry.getKey().endsWith(".jar")) {
          CRC32 crc = new CRC32();
          crc.update(entry.getValue());
          next.setMethod(ZipEntry.STORED);
          next.setSize(entry.getValue().length);
          next.setCrc(crc.getValue());
        }
        jar.putNextEntry(next);
        jar.write(entry.getValue());
        jar.closeEntry();
      }
    }
    return bytes.toByteArray();
  }
}
