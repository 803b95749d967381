package io.hotpatch.sidecar.it;

import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sidecar.daemon.SidecarMain;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real sidecar daemon process ({@link SidecarMain} with the JVM flags it ships with), its class
 * path taken from this test's: the sidecar and core classes, jackson-jr and jackson-core.
 */
final class SidecarProcess implements AutoCloseable {
  private static final List<String> CLASS_PATH_PARTS =
      List.of(
          "hotpatch-sidecar",
          "sidecar/target/classes",
          "hotpatch-core",
          "core/target/classes",
          "jackson-jr-objects",
          "jackson-core-",
          "org/ow2/asm/asm/");

  private final Process process;
  private final Path output;

  private SidecarProcess(Process process, Path output) {
    this.process = process;
    this.output = output;
  }

  /** Starts the daemon with exactly {@code env} as its environment (plus PATH). */
  static SidecarProcess start(Map<String, String> env, Path output) {
    return start(env, output, SidecarMain.JVM_FLAGS);
  }

  /** Starts the daemon with other JVM flags, to compare footprints. */
  static SidecarProcess start(Map<String, String> env, Path output, List<String> jvmFlags) {
    return start(List.of(), classPath(), env, output, jvmFlags);
  }

  /** Starts the daemon on another JVM ({@code java}) with its own flags and class path. */
  static SidecarProcess start(
      Path java, String classPath, Map<String, String> env, Path output, List<String> jvmFlags) {
    return start(java, List.of(), classPath, env, output, jvmFlags, List.of());
  }

  /**
   * Starts the init step ({@code SidecarMain --install-agent}) with exactly {@code env}, as the
   * webhook's init container.
   */
  static SidecarProcess init(Map<String, String> env, Path output) {
    return start(
        ourJava(),
        List.of(),
        classPath(),
        env,
        output,
        SidecarMain.JVM_FLAGS,
        List.of("--install-agent"));
  }

  /**
   * Starts the daemon with its command behind {@code prefix} (setpriv to run as the app's UID, say)
   * and the class path given (see {@link #readableClassPath}).
   */
  static SidecarProcess start(
      List<String> prefix,
      String classPath,
      Map<String, String> env,
      Path output,
      List<String> jvmFlags) {
    return start(ourJava(), prefix, classPath, env, output, jvmFlags, List.of());
  }

  private static Path ourJava() {
    return JavaHomes.current().resolve("bin/java");
  }

  private static SidecarProcess start(
      Path java,
      List<String> prefix,
      String classPath,
      Map<String, String> env,
      Path output,
      List<String> jvmFlags,
      List<String> args) {
    List<String> command = new ArrayList<>(prefix);
    command.add(java.toString());
    command.addAll(jvmFlags);
    command.add("-cp");
    command.add(classPath);
    command.add(SidecarMain.class.getName());
    command.addAll(args);
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()));
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    try {
      return new SidecarProcess(builder.start(), output);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String classPath() {
    String classPath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> CLASS_PATH_PARTS.stream().anyMatch(entry::contains))
            .filter(entry -> !entry.contains("test-classes") && !entry.contains("jackson-core-asl"))
            .collect(Collectors.joining(File.pathSeparator));
    for (String part :
        List.of("sidecar", "core", "jackson-jr-objects", "jackson-core-", "org/ow2/asm/asm/")) {
      if (!classPath.contains(part)) {
        throw new IllegalStateException("no " + part + " on this test's class path: " + classPath);
      }
    }
    return classPath;
  }

  /**
   * The class path copied into {@code dir}, for a daemon run as a user who cannot read this build's
   * (~/.m2).
   */
  static String readableClassPath(Path dir) throws IOException {
    List<String> copies = new ArrayList<>();
    for (String entry : classPath().split(File.pathSeparator)) {
      Path source = Path.of(entry);
      Path copy = dir.resolve(copies.size() + "-" + source.getFileName());
      AttachIT.copyTree(source, copy);
      copies.add(copy.toString());
    }
    return String.join(File.pathSeparator, copies);
  }

  long pid() {
    return process.pid();
  }

  /** A field of /proc/<pid>/status in kB (VmRSS, VmHWM, ...), or the raw value for others. */
  String status(String field) {
    try {
      return Files.readAllLines(Path.of("/proc", Long.toString(pid()), "status")).stream()
          .filter(line -> line.startsWith(field + ":"))
          .map(line -> line.substring(field.length() + 1).trim())
          .findFirst()
          .orElse("");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** User plus system CPU time so far (utime + stime of /proc/<pid>/stat). */
  java.time.Duration cpu() {
    return process.info().totalCpuDuration().orElseThrow();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Its exit code once it has exited (the caller awaits that). */
  int exitValue() {
    return process.exitValue();
  }

  String output() {
    try {
      return Files.readString(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops it as kubelet does (SIGTERM, SIGKILL after 10 s). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
