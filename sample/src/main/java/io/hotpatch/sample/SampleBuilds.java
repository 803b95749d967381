package io.hotpatch.sample;

import io.hotpatch.core.BundleManifest;
import io.hotpatch.core.BundleWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** Compiles Java sources in memory with the JDK's own javac and packs the class files into jars. */
public final class SampleBuilds {
  /**
   * The oldest JDK that tests run target JVMs on: sample classes for tests with every target are
   * compiled for it.
   */
  public static final int TARGET_RELEASE = 11;

  /**
   * The release of the demo's, the images' and the examples' sample (the example bundle pins it).
   */
  private static final int DEFAULT_RELEASE = 17;

  /** The service's main class is the same in every version; only the calculator differs. */
  private static final String SHARED_FILE = "Checkout";

  private static final String VERSIONED_FILE = "PriceCalculator";

  private SampleBuilds() {}

  /**
   * Compiles sources given by binary class name, for a {@code --release}, and returns every class
   * file javac wrote (inner and anonymous classes included), by binary name.
   */
  public static Map<String, byte[]> compile(Map<String, String> sourceByClassName, int release) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    if (javac == null) {
      throw new IllegalStateException("no javac in this Java runtime: run on a JDK, not a JRE");
    }
    List<JavaFileObject> units = new ArrayList<>();
    sourceByClassName.forEach((name, source) -> units.add(new SourceFile(name, source)));
    Map<String, byte[]> classes = new TreeMap<>();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    StandardJavaFileManager standard =
        javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
    try (InMemoryOutput files = new InMemoryOutput(standard, classes)) {
      List<String> options = List.of("--release", String.valueOf(release), "-g", "-Xlint:-options");
      if (!javac.getTask(null, files, diagnostics, options, null, units).call()) {
        throw new IllegalArgumentException(
            "sources do not compile: " + diagnostics.getDiagnostics());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return classes;
  }

  /** Writes class files (by binary name) into a jar at {@code jar} and returns it. */
  public static Path writeJar(Map<String, byte[]> classes, Path jar) {
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file)) {
      for (Map.Entry<String, byte[]> entry : new TreeMap<>(classes).entrySet()) {
        out.putNextEntry(new JarEntry(entry.getKey().replace('.', '/') + ".class"));
        out.write(entry.getValue());
        out.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return jar;
  }

  /** The sample service's sources for one version, by binary class name. */
  public static Map<String, String> sampleSources(SampleVersion version) {
    Map<String, String> sources = new TreeMap<>();
    sources.put("shop." + SHARED_FILE, resource(SHARED_FILE + ".java"));
    sources.put(
        "shop." + VERSIONED_FILE, resource(version.directory() + "/" + VERSIONED_FILE + ".java"));
    return sources;
  }

  private static String resource(String resource) {
    try (InputStream in = SampleBuilds.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "sample source " + resource + " is missing from the sample jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Compiles one version of the sample service for Java 17 into {@code dir/checkout-<version>.jar}.
   */
  public static Path sampleJar(SampleVersion version, Path dir) {
    return sampleJar(version, dir, DEFAULT_RELEASE);
  }

  /** The same for a {@code --release}. */
  public static Path sampleJar(SampleVersion version, Path dir, int release) {
    return writeJar(
        compile(sampleSources(version), release),
        dir.resolve("checkout-" + version.directory() + ".jar"));
  }

  /**
   * One version of the Spring Boot sample: v1 is the fat jar its module packaged ({@code
   * packaged}), any other is that jar with the version's calculator in place, written to {@code
   * dir/checkout-spring-boot-<version>.jar} as a rebuild of the same sources would be.
   */
  public static Path springBootJar(Path packaged, SampleVersion version, Path dir) {
    if (version == SampleVersion.V1_BUGGY) {
      return packaged;
    }
    return FatJars.replaceClasses(
        packaged,
        FatJars.SPRING_BOOT_CLASSES,
        Map.of(SampleVersion.PATCHED_CLASS, priceCalculator(version)),
        dir.resolve("checkout-spring-boot-" + version.directory() + ".jar"));
  }

  /**
   * The version's {@code shop.PriceCalculator} alone as a bundle (class file only, empty manifest),
   * as the operator serves it from a ConfigMap.
   */
  public static byte[] priceCalculatorBundle(SampleVersion version) {
    return priceCalculatorBundle(version, DEFAULT_RELEASE);
  }

  /** The same for a {@code --release}. */
  public static byte[] priceCalculatorBundle(SampleVersion version, int release) {
    return BundleWriter.write(
        Map.of(SampleVersion.PATCHED_CLASS, priceCalculator(version, release)),
        BundleManifest.empty());
  }

  /**
   * The class file of the version's {@code shop.PriceCalculator} for Java 17, as the Spring Boot
   * sample compiles it.
   */
  public static byte[] priceCalculator(SampleVersion version) {
    return priceCalculator(version, DEFAULT_RELEASE);
  }

  /** The same for a {@code --release}. */
  public static byte[] priceCalculator(SampleVersion version, int release) {
    return compile(sampleSources(version), release).get(SampleVersion.PATCHED_CLASS);
  }

  /** A source file held in a string. */
  private static final class SourceFile extends SimpleJavaFileObject {
    private final String source;

    SourceFile(String className, String source) {
      super(
          URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension),
          Kind.SOURCE);
      this.source = source;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return source;
    }
  }

  /** File manager that keeps javac's class output in a map instead of on disk. */
  private static final class InMemoryOutput
      extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, byte[]> classes;

    InMemoryOutput(StandardJavaFileManager delegate, Map<String, byte[]> classes) {
      super(delegate);
      this.classes = classes;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(
        Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
      return new SimpleJavaFileObject(
          URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          return new ByteArrayOutputStream() {
            @Override
            public void close() {
              classes.put(className, toByteArray());
            }
          };
        }
      };
    }
  }
}
