package io.hotpatch.operator.channel.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.jr.ob.JSON;
import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.operator.TestTls;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.daemon.SidecarMain;
import io.hotpatch.testkit.TestJvmFlags;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;

/**
 * Pods as processes on this machine: each pod's app container is a real sample JVM (startup agent,
 * container name in its environment) and its sidecar a real daemon process started with exactly the
 * webhook's environment against the operator's HTTPS channel. Closing stops them all.
 */
final class PodProcesses implements AutoCloseable {
  private final List<AutoCloseable> processes = new ArrayList<>();
  private final Path work;
  private final Path appJar;
  private final URI channel;
  private final String namespace;

  PodProcesses(Path work, Path appJar, URI channel, String namespace) {
    this.work = work;
    this.appJar = appJar;
    this.channel = channel;
    this.namespace = namespace;
  }

  /**
   * How one pod runs: its app's JDK, and its own loopback address and port (0: the app's default
   * and a free port).
   */
  record Options(Path javaHome, String loopback, int port) {}

  /** A pod on this machine: its Pod object, shared hotpatch directory and app container's JVM. */
  final class SimulatedPod {
    final Pod pod;
    final Path hotpatchDir;
    final String container;
    final Options options;
    TargetJvm jvm;

    SimulatedPod(Pod pod, Path hotpatchDir, String container, Options options) {
      this.pod = pod;
      this.hotpatchDir = hotpatchDir;
      this.container = container;
      this.options = options;
    }

    void startJvm(int port) {
      Path agent = hotpatchDir.resolve("agent/hotpatch-agent.jar");
      TargetJvm.Builder builder =
          TargetJvm.builder()
              .javaHome(options.javaHome())
              .classpath(appJar)
              .port(port)
              .jvmArgs(TestJvmFlags.get().toArray(String[]::new))
              .jvmArgs("-javaagent:" + agent + "=bundles=" + hotpatchDir.resolve("bundles"))
              .launcher(
                  command -> {
                    List<String> withEnv =
                        new ArrayList<>(List.of("env", "HOTPATCH_CONTAINER_NAME=" + container));
                    withEnv.addAll(command);
                    return withEnv;
                  });
      if (options.loopback() != null) {
        builder.address(options.loopback());
      }
      jvm = builder.start();
      processes.add(jvm);
    }

    /** The app container restarts: a new JVM on the same port, with the startup agent. */
    void restartJvm() {
      jvm.close();
      startJvm(jvm.port());
    }
  }

  /** The sample's PriceCalculator of that version as a bundle, for every JDK the app may run on. */
  static byte[] bundle(SampleVersion version) {
    return SampleBuilds.priceCalculatorBundle(version, SampleBuilds.TARGET_RELEASE);
  }

  /** Starts the pod's app JVM and its sidecar daemon. */
  SimulatedPod start(Pod pod, String token, Options options) throws IOException {
    String name = pod.getMetadata().getName();
    Path dir = Files.createDirectories(work.resolve(name));
    Path hotpatchDir = Files.createDirectories(dir.resolve("hotpatch"));
    Files.createDirectories(hotpatchDir.resolve("agent"));
    Files.copy(agentJar(), hotpatchDir.resolve("agent/hotpatch-agent.jar"));
    Path tokenFile = Files.writeString(dir.resolve("token"), token);
    SimulatedPod simulated =
        new SimulatedPod(
            pod, hotpatchDir, "app-" + UUID.randomUUID().toString().substring(0, 8), options);
    simulated.startJvm(options.port());
    Map<String, String> env = new TreeMap<>();
    env.put("HOTPATCH_CHANNEL_URL", channel.toString().replaceAll("/$", ""));
    env.put("HOTPATCH_POD_NAME", name);
    env.put("HOTPATCH_POD_NAMESPACE", namespace);
    env.put("HOTPATCH_POD_UID", pod.getMetadata().getUid());
    env.put("HOTPATCH_TOKEN_FILE", tokenFile.toString());
    env.put("HOTPATCH_CA_FILE", TestTls.caFile().toString());
    env.put("HOTPATCH_CONTAINER", simulated.container);
    env.put("HOTPATCH_DIR", hotpatchDir.toString());
    env.put("HOTPATCH_POLL_WAIT_SECONDS", "30");
    if (options.loopback() != null) {
      env.put(
          "HOTPATCH_HEALTH_HOST",
          options.loopback()); // this pod's loopback, as its own network namespace
    }
    processes.add(startSidecar(env, dir.resolve("sidecar.log")));
    return simulated;
  }

  @Override
  public void close() throws Exception {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
  }

  private AutoCloseable startSidecar(Map<String, String> env, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(io.hotpatch.sample.JavaHomes.current().resolve("bin/java").toString());
    command.addAll(SidecarMain.JVM_FLAGS);
    command.add("-cp");
    command.add(sidecarClassPath());
    command.add(SidecarMain.class.getName());
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().putAll(env);
    Process process = builder.start();
    return () -> {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    };
  }

  /**
   * The sidecar image's class path: the sidecar and core jars, jackson-jr, jackson-core and ASM,
   * copied from this test's class path so that a concurrent install of a module cannot change them
   * under a running daemon.
   */
  private String sidecarClassPath() throws IOException {
    Path lib = Files.createDirectories(work.resolve("sidecar-lib"));
    List<String> entries = new ArrayList<>();
    List<Class<?>> types =
        List.of(
            SidecarMain.class,
            DesiredState.class,
            JSON.class,
            JsonFactory.class,
            ClassReader.class);
    for (int i = 0; i < types.size(); i++) {
      Path source = location(types.get(i));
      // In a reactor build two of these are folders both named "classes": keep them apart.
      Path copy = lib.resolve(i + "-" + source.getFileName());
      if (!Files.exists(copy)) {
        if (Files.isDirectory(source)) {
          try (Stream<Path> tree = Files.walk(source)) {
            for (Path file : (Iterable<Path>) tree::iterator) {
              Files.copy(file, copy.resolve(source.relativize(file).toString()));
            }
          }
        } else {
          Files.copy(source, copy);
        }
      }
      entries.add(copy.toString());
    }
    return String.join(File.pathSeparator, entries);
  }

  private static Path location(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Path agentJar() {
    return Stream.of(
            System.getProperty("hotpatch.agent.jar", ""), "../agent/target/hotpatch-agent.jar")
        .filter(p -> !p.isEmpty())
        .map(Path::of)
        .filter(Files::isRegularFile)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no agent jar: build agent/ first (mvn -q -B package -pl agent -am -DskipTests)"));
  }
}
