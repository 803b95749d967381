package io.hotpatch.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/hotpatch's class-data archive learns each command: the first successful run of a command
 * after a build lists the classes it loaded and the archive is written again, once, in the
 * background; later runs map it. Runs a copy of the launcher and the built jars, so the checkout's
 * own archive is left alone.
 */
class LauncherArchiveIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir static Path root;
  private static Path archive;
  private static Path lists;
  private static Path writing;

  @BeforeAll
  static void copyTheLauncherAndTheBuiltJars() throws Exception {
    archive = root.resolve("cli/target/hotpatch-cli.jsa");
    lists = root.resolve("cli/target/cds");
    writing = root.resolve("cli/target/hotpatch-cli.jsa.writing");
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
    assertThat(run("--version")).contains("hotpatch");
    awaitWriterDone();
    FileTime first = Files.getLastModifiedTime(archive);
    assertThat(lists.resolve("version.classlist")).isNotEmptyFile();

    assertThat(run("--version")).contains("hotpatch");
    assertThat(writing).doesNotExist();
    assertThat(Files.getLastModifiedTime(archive))
        .as("a known command writes nothing")
        .isEqualTo(first);

    run("jvms");
    awaitWriterDone();
    assertThat(lists.resolve("jvms.classlist")).isNotEmptyFile();
    assertThat(Files.getLastModifiedTime(archive)).isGreaterThan(first);
    assertThat(list(lists)).containsExactlyInAnyOrder("jvms.classlist", "version.classlist");
    assertThat(mapsTheArchive()).as("the JVM maps the archive").isTrue();
  }

  @Test
  void aFailedRunListsNothingAndLeavesACurrentArchiveAlone() throws Exception {
    run("--version");
    awaitWriterDone();
    FileTime before = Files.getLastModifiedTime(archive);

    Process failed = start("status", "--pid", "abc");
    assertThat(failed.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(failed.exitValue()).isEqualTo(2);
    assertThat(writing).doesNotExist();
    assertThat(lists.resolve("status.classlist")).doesNotExist();
    assertThat(Files.getLastModifiedTime(archive)).isEqualTo(before);
  }

  private static boolean mapsTheArchive() throws Exception {
    Process java =
        new ProcessBuilder(
                "java",
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

  private static void awaitWriterDone() {
    await()
        .atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> !Files.exists(writing) && Files.isRegularFile(archive));
  }

  private static String run(String... args) throws Exception {
    Process process = start(args);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  private static Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(root.resolve("bin/hotpatch").toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void copy(String path) throws Exception {
    Path target = root.resolve(path);
    Files.createDirectories(target.getParent());
    Files.copy(REPO.resolve(path), target, StandardCopyOption.COPY_ATTRIBUTES);
    Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
