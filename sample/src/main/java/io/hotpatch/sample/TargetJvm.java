package io.hotpatch.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A real JVM process running an HTTP service, started on a chosen JDK with a free port as its first
 * argument, ready once GET /health answers 200. Its stdout and stderr go to a file.
 */
public final class TargetJvm implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final String LOOPBACK = "127.0.0.1";

  private final Process process;
  private final String address;
  private final int port;
  private final Path outputFile;
  private final Path ownedWorkDir;
  private final long startNanos;
  private final long readyNanos;
  private String finalOutput;

  private TargetJvm(
      Process process,
      String address,
      int port,
      Path outputFile,
      Path ownedWorkDir,
      long startNanos,
      long readyNanos) {
    this.process = process;
    this.address = address;
    this.port = port;
    this.outputFile = outputFile;
    this.ownedWorkDir = ownedWorkDir;
    this.startNanos = startNanos;
    this.readyNanos = readyNanos;
  }

  public static Builder builder() {
    return new Builder();
  }

  public long pid() {
    return process.pid();
  }

  public int port() {
    return port;
  }

  public URI uri(String path) {
    return URI.create("http://" + address + ":" + port + path);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Time from process start to the first successful /health answer. */
  public Duration startupTime() {
    return Duration.ofNanos(readyNanos - startNanos);
  }

  /** Everything the JVM printed so far, stdout and stderr together (kept after close). */
  public synchronized String output() {
    if (finalOutput != null) {
      return finalOutput;
    }
    try {
      return Files.readString(outputFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** GET a path and return the body; throws when the answer is not 200. */
  public String get(String path) {
    return Http.get(uri(path));
  }

  /**
   * Stops the JVM (SIGTERM, then SIGKILL after 10 s), waits for it to exit and removes the files it
   * was given (its output stays readable through {@link #output()}).
   */
  @Override
  public synchronized void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    if (finalOutput == null) {
      finalOutput = output();
      deleteQuietly(outputFile);
      if (ownedWorkDir != null) {
        deleteQuietly(ownedWorkDir);
      }
    }
  }

  private static void deleteQuietly(Path path) {
    try (java.util.stream.Stream<Path> tree = Files.walk(path)) {
      tree.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // best effort: a leftover temp file must not fail the caller
    }
  }

  /** Collects what the target needs; {@link #start()} launches it and waits until it serves. */
  public static final class Builder {
    private Path javaHome = JavaHomes.current();
    private final List<Path> classpath = new ArrayList<>();
    private Path executableJar;
    private String mainClass = SampleVersion.MAIN_CLASS;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> appArgs = new ArrayList<>();
    private UnaryOperator<List<String>> launcher = UnaryOperator.identity();
    private Path workDir;
    private int port;
    private String address = LOOPBACK;

    public Builder javaHome(Path javaHome) {
      this.javaHome = javaHome;
      return this;
    }

    public Builder classpath(Path... entries) {
      classpath.addAll(Arrays.asList(entries));
      return this;
    }

    /**
     * Runs {@code java -jar jar} (an executable jar: its manifest names the main class and its
     * launcher) instead of a class path and main class.
     */
    public Builder executableJar(Path jar) {
      this.executableJar = jar;
      return this;
    }

    public Builder mainClass(String mainClass) {
      this.mainClass = mainClass;
      return this;
    }

    public Builder jvmArgs(String... args) {
      jvmArgs.addAll(Arrays.asList(args));
      return this;
    }

    /** Arguments after the port, which is always the first. */
    public Builder appArgs(String... args) {
      appArgs.addAll(Arrays.asList(args));
      return this;
    }

    /** The port to listen on; by default a free one is picked. Reusing a port models a restart. */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Another loopback address to listen on (127.0.0.2, ...), passed as {@code -Dcheckout.address}:
     * several targets on one machine can then use the same port, as pods do.
     */
    public Builder address(String loopbackAddress) {
      this.address = loopbackAddress;
      return this;
    }

    /** The working directory of the target; by default a fresh temporary one. */
    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    /**
     * Wraps the java command line, e.g. to start the target in its own mount namespace with {@code
     * unshare}. The wrapper must exec java so the process keeps its pid.
     */
    public Builder launcher(UnaryOperator<List<String>> launcher) {
      this.launcher = launcher;
      return this;
    }

    public TargetJvm start() {
      try {
        int chosenPort = port != 0 ? port : freePort();
        Path ownedDir = workDir == null ? Files.createTempDirectory("hotpatch-target") : null;
        Path dir = workDir != null ? workDir : ownedDir;
        Path output = Files.createTempFile("hotpatch-target", ".log");
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.add("-Dsun.net.httpserver.nodelay=true");
        if (!LOOPBACK.equals(address)) {
          command.add("-Dcheckout.address=" + address);
        }
        command.addAll(jvmArgs);
        if (executableJar != null) {
          command.add("-jar");
          command.add(executableJar.toAbsolutePath().toString());
        } else {
          command.add("-cp");
          command.add(
              classpath.stream()
                  .map(p -> p.toAbsolutePath().toString())
                  .collect(Collectors.joining(":")));
          command.add(mainClass);
        }
        command.add(String.valueOf(chosenPort));
        command.addAll(appArgs);
        long start = System.nanoTime();
        Process process =
            new ProcessBuilder(launcher.apply(command))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        long ready = awaitHealthy(process, address, chosenPort, output);
        return new TargetJvm(process, address, chosenPort, output, ownedDir, start, ready);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private static long awaitHealthy(Process process, String address, int port, Path output)
        throws IOException {
      URI health = URI.create("http://" + address + ":" + port + "/health");
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "target JVM exited with "
                  + process.exitValue()
                  + " before serving; its output:\n"
                  + Files.readString(output));
        }
        try {
          HttpResponse<Void> response =
              client.send(
                  HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(1)).build(),
                  HttpResponse.BodyHandlers.discarding());
          if (response.statusCode() == 200) {
            return System.nanoTime();
          }
        } catch (IOException notYet) {
          sleepMillis(5);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the target", e);
        }
      }
      process.destroyForcibly();
      throw new IllegalStateException(
          "target JVM did not serve /health within "
              + READY_TIMEOUT.toSeconds()
              + " s; its output:\n"
              + Files.readString(output));
    }

    private static int freePort() throws IOException {
      try (ServerSocket socket = new ServerSocket(0)) {
        return socket.getLocalPort();
      }
    }
  }

  static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
