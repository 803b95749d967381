package io.hotpatch.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.hotpatch.sample.JavaHomes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hotpatch's class-data archive learns each command: the first successful run of a command
 * after a build lists the classes it loaded and the archive is written again, once, in the
 * background; later runs map it. Each JDK that runs the launcher has an archive of its own. Runs a
 * copy of the launcher and the built jars, so the checkout's own archive is left alone.
 */
class LauncherArchiveIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path JDK = JavaHomes.current();
  @TempDir static Path root;

  @BeforeAll
  static void copyTheLauncherAndTheBuiltJars() throws Exception {
    copy("bin/hotpatch");
    copy("agent/target/hotpatch-agent.jar");
    try (Stream<Path> libs = Files.list(REPO.resolve("cli/target/lib"))) {
      for (Path lib : libs.toList()) {
        copy(REPO.relativize(lib).toString());
      }
    }
    copy("cli/target/hotpatch-cli.jar"); // last: newer than everything the launcher checks
  }

  @Test
  void eachCommandIsListedOnceAndTheArchiveIsWrittenAgainForIt() throws Exception {
    Path lists = listsOf(JDK);
    Path archive = archiveIn(lists);
    assertThat(run(JDK, "--version")).contains("hotpatch");
    awaitWriterDone(lists);
    FileTime first = Files.getLastModifiedTime(archive);
    assertThat(lists.resolve("version.classlist")).isNotEmptyFile();

    assertThat(run(JDK, "--version")).contains("hotpatch");
    assertThat(writing(lists)).doesNotExist();
    assertThat(Files.getLastModifiedTime(archive))
        .as("a known command writes nothing")
        .isEqualTo(first);

    run(JDK, "jvms");
    awaitWriterDone(lists);
    assertThat(lists.resolve("jvms.classlist")).isNotEmptyFile();
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(first);
    assertThat(classLists(lists)).containsExactlyInAnyOrder("jvms.classlist", "version.classlist");
    assertThat(mapsTheArchive(JDK, archive)).as("the JVM maps the archive").isTrue();
  }

  @Test
  void aFailedRunListsNothingAndLeavesACurrentArchiveAlone() throws Exception {
    Path lists = listsOf(JDK);
    run(JDK, "--version");
    awaitWriterDone(lists);
    FileTime before = Files.getLastModifiedTime(archiveIn(lists));

    Process failed = start(JDK, "status", "--pid", "abc");
    assertThat(failed.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(failed.exitValue()).isEqualTo(2);
    assertThat(writing(lists)).doesNotExist();
    assertThat(lists.resolve("status.classlist")).doesNotExist();
    assertThat(Files.getLastModifiedTime(archiveIn(lists))).isEqualTo(before);
  }

  /** A JVM cannot map another JDK's archive, and says so on stderr on every run. */
  @Test
  void eachJdkWritesAndMapsAnArchiveOfItsOwn() throws Exception {
    Optional<Path> other = JavaHomes.find(25).filter(home -> !home.equals(JDK));
    Assumptions.assumeTrue(other.isPresent(), JavaHomes.missing(25));
    Path ours = listsOf(JDK);
    Path theirs = listsOf(other.get());
    String version = run(JDK, "--version");
    awaitWriterDone(ours);
    FileTime oursBefore = Files.getLastModifiedTime(archiveIn(ours));

    for (int i = 0; i < 2; i++) {
      assertThat(run(other.get(), "--version")).as("no word from the JVM").isEqualTo(version);
      awaitWriterDone(theirs);
    }
    assertThat(run(JDK, "--version")).isEqualTo(version);

    assertThat(mapsTheArchive(other.get(), archiveIn(theirs))).isTrue();
    assertThat(mapsTheArchive(JDK, archiveIn(ours))).isTrue();
    assertThat(Files.getLastModifiedTime(archiveIn(ours))).isEqualTo(oursBefore);
  }

  /**
   * An upgrade in place keeps the JDK's path and changes its release file: what the launcher kept
   * for the earlier build (here a file no JVM can map, and the class lists) is not used again.
   */
  @Test
  void aJdkUpgradedInPlaceListsAgainAndGetsANewArchive() throws Exception {
    Path upgraded = root.resolve("jdk-upgraded-in-place");
    Files.createDirectories(upgraded.resolve("bin"));
    Path java = upgraded.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nexec '" + JDK.resolve("bin/java") + "' \"$@\"\n");
    assertThat(java.toFile().setExecutable(true)).isTrue();
    Files.writeString(upgraded.resolve("release"), "JAVA_RUNTIME_VERSION=\"17.0.16+8\"\n");
    Path lists = listsOf(upgraded);
    Files.createDirectories(lists);
    Files.createSymbolicLink(lists.resolve("jdk"), upgraded.toRealPath());
    Files.writeString(lists.resolve("release"), "JAVA_RUNTIME_VERSION=\"17.0.15+6\"\n");
    Files.writeString(lists.resolve("jvms.classlist"), "java/lang/Object\n");
    Files.writeString(lists.resolve("version.classlist"), "java/lang/Object\n");
    Files.writeString(archiveIn(lists), "the earlier build's archive");

    assertThat(run(upgraded, "--version")).as("no word from the JVM").matches("hotpatch \\S+\n");
    awaitWriterDone(lists);

    assertThat(classLists(lists)).containsExactly("version.classlist");
    assertThat(lists.resolve("version.classlist")).content().contains("picocli/CommandLine");
    assertThat(mapsTheArchive(JDK, archiveIn(lists))).isTrue();
    assertThat(lists.resolve("release")).content().contains("17.0.16+8");
  }

  /** Where the launcher keeps the archive and class lists of the JDK at {@code home}. */
  private static Path listsOf(Path home) throws Exception {
    String name = home.toRealPath().toString().substring(1).replace('/', '_');
    return root.resolve("cli/target/cds").resolve(name);
  }

  private static Path archiveIn(Path lists) {
    return lists.resolve("hotpatch-cli.jsa");
  }

  private static Path writing(Path lists) {
    return lists.resolve("hotpatch-cli.jsa.writing");
  }

  private static boolean mapsTheArchive(Path home, Path archive) throws Exception {
    Process java =
        new ProcessBuilder(
                home.resolve("bin/java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-XX:+UnlockDiagnosticVMOptions",
                "-XX:-BytecodeVerificationRemote",
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + archive,
                "-jar",
                root.resolve("cli/target/hotpatch-cli.jar").toString(),
                "--version")
            .redirectErrorStream(true)
            .start();
    java.getInputStream().readAllBytes();
    return java.waitFor(60, TimeUnit.SECONDS) && java.exitValue() == 0;
  }

  private static void awaitWriterDone(Path lists) {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !Files.exists(writing(lists)) && Files.isRegularFile(archiveIn(lists)));
  }

  /** Runs the launcher with {@code home}'s java first on PATH; stdout and stderr together. */
  private static String run(Path home, String... args) throws Exception {
    Process process = start(home, args);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  private static Process start(Path home, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/hotpatch").toString()));
    command.addAll(List.of(args));
    ProcessBuilder launcher = new ProcessBuilder(command).redirectErrorStream(true);
    Map<String, String> env = launcher.environment();
    env.put("PATH", home.resolve("bin") + ":" + env.getOrDefault("PATH", "/usr/bin:/bin"));
    return launcher.start();
  }

  private static void copy(String path) throws Exception {
    Path target = root.resolve(path);
    Files.createDirectories(target.getParent());
    Files.copy(REPO.resolve(path), target, StandardCopyOption.COPY_ATTRIBUTES);
    Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
  }

  private static List<String> classLists(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(f -> f.getFileName().toString())
          .filter(name -> name.endsWith(".classlist"))
          .toList();
    }
  }
}
