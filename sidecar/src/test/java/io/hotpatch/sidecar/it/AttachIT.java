package io.hotpatch.sidecar.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import io.hotpatch.sample.JavaHomes;
import io.hotpatch.sample.SampleBuilds;
import io.hotpatch.sample.SampleVersion;
import io.hotpatch.sample.TargetJvm;
import io.hotpatch.sidecar.AgentClient;
import io.hotpatch.sidecar.AttachFailure;
import io.hotpatch.testkit.AgentTargets;
import io.hotpatch.testkit.TestJvmFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Attaches to real target JVMs (Java 11, 17 and Temurin 25) from this Java 17 process and from a
 * Temurin 25 attacher, in the same mount namespace and in the target's own one, and reads the
 * agent's status.
 */
class AttachIT {
  /**
   * Outside /tmp and readable by every user: the mount-namespace tests hide /tmp from the target,
   * and the checkout (so target/) may itself live under /tmp.
   */
  static final Path WORK = TestWorkDirs.outsideTmp("hotpatch-it-attach");

  /**
   * A copy of the built agent in {@link #WORK}, so hiding its folder works wherever the checkout
   * is.
   */
  static final Path AGENT_JAR =
      TestWorkDirs.copyInto(
          Path.of(System.getProperty("hotpatch.agent.jar", "missing-hotpatch-agent.jar")),
          WORK.resolve("agent"));

  static final List<String> AS_NOBODY =
      List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups");

  /**
   * Names of files an attach to {@code pid} could leave behind: staged copies and its trigger file
   * (only its own: a shared /tmp holds the triggers of other tests' JVMs while they are attached).
   */
  static String attachLeftovers(long pid) {
    return "hotpatch-[0-9a-f]{12}-.*|\\.hotpatch-.*\\.part|\\.attach_pid" + pid;
  }

  static Path sampleJar;

  @BeforeAll
  static void buildSample() throws IOException {
    assertThat(AGENT_JAR).as("agent jar (system property hotpatch.agent.jar)").isRegularFile();
    sampleJar =
        SampleBuilds.sampleJar(
            SampleVersion.V1_BUGGY,
            Files.createDirectories(WORK.resolve("sample")),
            SampleBuilds.TARGET_RELEASE);
  }

  static Stream<Arguments> targetsAndAttachers() {
    return targetsAndAttachers(17, 25);
  }

  /** Java 11 targets too: the pod case, attachers on 17 and 25 (the sidecar image's JDK). */
  static Stream<Arguments> allTargetsAndAttachers() {
    return targetsAndAttachers(11, 17, 25);
  }

  private static Stream<Arguments> targetsAndAttachers(Integer... targets) {
    return Stream.of(targets)
        .flatMap(target -> Stream.of(17, 25).map(attacher -> Arguments.of(target, attacher)));
  }

  @ParameterizedTest(name = "target on {0}, attacher on {1}")
  @MethodSource("targetsAndAttachers")
  void readsTheAgentStatus(int targetFeature, int attacherFeature) throws Exception {
    try (TargetJvm target = targetBuilder(targetFeature).jvmArgs("-XX:-UsePerfData").start()) {
      String status = status(attacherFeature, target.pid());

      assertThat(status).startsWith("OK " + targetFeature);
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(target.output()).doesNotContain("Full thread dump");
    }
  }

  @ParameterizedTest(name = "target on {0}, attacher on {1}")
  @MethodSource("allTargetsAndAttachers")
  void attachesAcrossMountNamespacesAndLeavesNoFilesBehind(int targetFeature, int attacherFeature)
      throws Exception {
    assumeTrue(isRoot(), "needs root to give the target its own mount namespace (unshare -m)");
    Path agentDir = AGENT_JAR.toAbsolutePath().getParent();
    // The target gets its own /tmp and does not see the agent jar's folder, so the socket must be
    // bridged and the jar staged into its /tmp. Its working directory is that hidden folder: a path
    // that exists here too, as another directory, where the JDK attacher would leave its trigger.
    String script =
        "mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs '"
            + agentDir
            + "'"
            + " && cd '"
            + agentDir
            + "' && exec \"$0\" \"$@\"";
    TargetJvm.Builder builder =
        targetBuilder(targetFeature)
            .jvmArgs("-XX:-UsePerfData")
            .launcher(command -> prepend(List.of("unshare", "-m", "sh", "-c", script), command));
    try (TargetJvm target = builder.start()) {
      Path theirRoot = Path.of("/proc", Long.toString(target.pid()), "root");
      assertThat(theirRoot.resolve(AGENT_JAR.toAbsolutePath().toString().substring(1)))
          .doesNotExist();

      assertThat(status(attacherFeature, target.pid())).startsWith("OK " + targetFeature);
      assertThat(status(attacherFeature, target.pid())).startsWith("OK " + targetFeature);

      assertThat(names(theirRoot.resolve("tmp"))).containsExactly(".java_pid" + target.pid());
      assertThat(names(Path.of("/proc", Long.toString(target.pid()), "cwd"))).isEmpty();
      assertThat(Files.exists(Path.of("/tmp/.java_pid" + target.pid()), LinkOption.NOFOLLOW_LINKS))
          .isFalse();
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());
      assertThat(target.output()).doesNotContain("Full thread dump");
      if (targetFeature >= 21) {
        // JEP 451's warning names the jar the target loaded: the staged copy
        assertThat(target.output()).contains("loaded dynamically (/tmp/hotpatch-");
      }
    }
  }

  @ParameterizedTest(name = "target on {0}")
  @ValueSource(ints = {11, 17, 25})
  void patchesATargetThatSeesNeitherTheAgentNorTheBundle(int targetFeature) throws Exception {
    assumeTrue(isRoot(), "needs root to give the target its own mount namespace (unshare -m)");
    Path bundleDir = Files.createDirectories(WORK.resolve("bundles"));
    String patched = SampleVersion.PATCHED_CLASS;
    Path bundle =
        SampleBuilds.writeJar(
            Map.of(
                patched,
                SampleBuilds.compile(
                        SampleBuilds.sampleSources(SampleVersion.V2_HOT_FIX),
                        SampleBuilds.TARGET_RELEASE)
                    .get(patched)),
            bundleDir.resolve("fix.jar"));
    String script =
        "mount -t tmpfs tmpfs /tmp && mount -t tmpfs tmpfs '"
            + AGENT_JAR.toAbsolutePath().getParent()
            + "'"
            + " && mount -t tmpfs tmpfs '"
            + bundleDir
            + "' && exec \"$0\" \"$@\"";
    TargetJvm.Builder builder =
        targetBuilder(targetFeature)
            .jvmArgs("-XX:-UsePerfData", "-XX:+EnableDynamicAgentLoading")
            .launcher(command -> prepend(List.of("unshare", "-m", "sh", "-c", script), command));
    try (TargetJvm target = builder.start()) {
      AgentClient client = new AgentClient(AGENT_JAR);

      PatchResult check = client.check(target.pid(), bundle, null);
      assertThat(check.getState()).as(check.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(check.isDryRun()).isTrue();
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      PatchResult apply = client.apply(target.pid(), bundle, null);
      assertThat(apply.getState()).as(apply.toString()).isEqualTo(ResultState.APPLIED);
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V2_HOT_FIX.expectedQuote());

      PatchResult revert = client.revert(target.pid(), apply.getPatchId());
      assertThat(revert.getState()).as(revert.toString()).isEqualTo(ResultState.REVERTED);
      assertThat(target.get(SampleVersion.PRICE_PATH))
          .isEqualTo(SampleVersion.V1_BUGGY.expectedQuote());

      assertThat(names(Path.of("/proc", Long.toString(target.pid()), "root/tmp")))
          .containsExactly(".java_pid" + target.pid());
      assertThat(target.output()).doesNotContain("Full thread dump", "WARNING");
    }
  }

  static Stream<Arguments> attacherUidsAndNamespaces() {
    return Stream.of(true, false)
        .flatMap(
            root -> Stream.of(false, true).map(ownNamespace -> Arguments.of(root, ownNamespace)));
  }

  @ParameterizedTest(name = "attacher as root: {0}, target in its own mount namespace: {1}")
  @MethodSource("attacherUidsAndNamespaces")
  void attachesToAJvmOfAnotherUserAsRootOrAsThatUser(boolean attacherIsRoot, boolean ownNamespace)
      throws Exception {
    assumeTrue(isRoot(), "needs root to run processes as uid 65534 (setpriv)");
    List<String> launcher =
        ownNamespace
            ? prepend(
                List.of(
                    "unshare", "-m", "sh", "-c", "mount -t tmpfs tmpfs /tmp && exec \"$0\" \"$@\""),
                AS_NOBODY)
            : AS_NOBODY;
    try (TargetJvm target =
        targetBuilder(17)
            .jvmArgs("-XX:-UsePerfData")
            .launcher(command -> prepend(launcher, command))
            .start()) {
      String status =
          attacherIsRoot
              ? Probe.status(AGENT_JAR, target.pid())
              : runProbe(JavaHomes.current(), AS_NOBODY, target.pid());

      assertThat(status).startsWith("OK 17");
      assertThat(names(Path.of("/proc", Long.toString(target.pid()), "root/tmp")))
          .filteredOn(name -> name.matches(attachLeftovers(target.pid())))
          .isEmpty();
      assertThat(names(Path.of("/proc", Long.toString(target.pid()), "cwd"))).isEmpty();
      assertThat(target.output()).doesNotContain("Full thread dump");
    }
  }

  /**
   * A SIGKILLed JVM leaves its attach socket in /tmp; a later JVM of another user that gets its pid
   * cannot replace it. The failure names the file, its owner and the fix, and the fix works.
   */
  @Test
  void anAttachSocketLeftByAnotherUsersProcessIsNamedWithTheFix() throws Exception {
    assumeTrue(isRoot(), "needs root to run processes as uid 65534 (setpriv)");
    try (TargetJvm target =
        targetBuilder(17)
            .jvmArgs("-XX:-UsePerfData")
            .launcher(command -> prepend(AS_NOBODY, command))
            .start()) {
      Path stale =
          Path.of("/proc", Long.toString(target.pid()), "root/tmp/.java_pid" + target.pid());
      Files.deleteIfExists(stale);
      Files.createFile(stale); // owned by root, as a root JVM's socket would be

      String refused = runProbe(JavaHomes.current(), AS_NOBODY, target.pid());
      Files.delete(stale);
      String status = runProbe(JavaHomes.current(), AS_NOBODY, target.pid());

      assertThat(refused)
          .startsWith("FAIL ATTACH_FAILED")
          .contains("belongs to uid 0, not to the target's uid 65534")
          .contains("remove it (as root or uid 0) and retry");
      assertThat(status).startsWith("OK 17");
    }
  }

  /**
   * Status through the attacher on that Java version: "OK <jvm version>" or "FAIL <reason>
   * <message>".
   */
  static String status(int attacherFeature, long pid) throws Exception {
    if (attacherFeature == Runtime.version().feature()) {
      return Probe.status(AGENT_JAR, pid);
    }
    return runProbe(AgentTargets.javaHome(attacherFeature), List.of(), pid);
  }

  static TargetJvm.Builder targetBuilder(int feature) {
    return TargetJvm.builder()
        .javaHome(AgentTargets.javaHome(feature))
        .classpath(sampleJar)
        .jvmArgs(TestJvmFlags.get().toArray(String[]::new))
        .workDir(workDir());
  }

  /**
   * Runs {@link Probe} in a fresh JVM on {@code javaHome}, its command wrapped in {@code prefix}.
   */
  static String runProbe(Path javaHome, List<String> prefix, long pid) throws Exception {
    List<String> command = new ArrayList<>(prefix);
    command.addAll(
        List.of(
            javaHome.resolve("bin/java").toString(),
            "-XX:-UsePerfData",
            "-cp",
            probeClasspath(),
            Probe.class.getName(),
            AGENT_JAR.toAbsolutePath().toString(),
            Long.toString(pid)));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output =
        new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return output;
  }

  /**
   * A class path for {@link Probe} that any user can read: copies of the sidecar and core classes
   * and of the probe class under target/.
   */
  static synchronized String probeClasspath() throws IOException {
    Path dir = WORK.resolve("probe");
    List<String> entries = new ArrayList<>();
    for (Class<?> type : List.of(AgentClient.class, AgentStatus.class)) {
      Path source = Path.of(type.getProtectionDomain().getCodeSource().getLocation().getPath());
      Path copy = dir.resolve(type.getSimpleName() + "-" + source.getFileName());
      copyTree(source, copy);
      entries.add(copy.toString());
    }
    String resource = Probe.class.getName().replace('.', '/') + ".class";
    Path classes = dir.resolve("classes");
    Path probeClass = classes.resolve(resource);
    Files.createDirectories(probeClass.getParent());
    try (var in = Probe.class.getClassLoader().getResourceAsStream(resource)) {
      Files.write(probeClass, in.readAllBytes());
    }
    entries.add(classes.toString());
    return String.join(":", entries);
  }

  static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  static int ourUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static Path workDir() {
    try {
      return Files.createTempDirectory(Files.createDirectories(WORK.resolve("work")), "target");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void copyTree(Path source, Path copy) throws IOException {
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path to = copy.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(file, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static List<String> prepend(List<String> prefix, List<String> command) {
    List<String> all = new ArrayList<>(prefix);
    all.addAll(command);
    return all;
  }

  /** The attacher as a separate program, so it can run on another JDK or as another user. */
  public static final class Probe {
    private Probe() {}

    public static void main(String[] args) {
      try {
        System.out.println(status(Path.of(args[0]), Long.parseLong(args[1])));
      } catch (RuntimeException e) {
        System.out.println("FAIL " + e);
      }
    }

    static String status(Path agentJar, long pid) {
      try {
        return "OK " + new AgentClient(agentJar).status(pid).getJvmVersion();
      } catch (AttachFailure failure) {
        return "FAIL " + failure.reason() + " " + failure.getMessage();
      }
    }
  }
}
