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

/**
 * bin/hotpatch's class-data archive learns each command: the first successful run of a command
 * after a build lists the classes it loaded and the archive is written again, once, in the
 * background; later runs map it. Runs a copy of the launcher and the built jars, so the checkout's
 * own archive is left alone.
 */
class LauncherArchiveIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  private static final Path ROOT = Path.of("target/it-launcher").toAbsolutePath();
  private static final Path ARCHIVE = ROOT.resolve("cli/target/hotpatch-cli.jsa");
  private static final Path LISTS = ROOT.resolve("cli/target/cds");
  private static final Path WRITING = ROOT.resolve("cli/target/hotpatch-cli.jsa.writing");

  @BeforeAll
  static void copyTheLauncherAndTheBuiltJars() throws Exception {
    deleteTree(ROOT);
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
    FileTime first = Files.getLastModifiedTime(ARCHIVE);
    assertThat(LISTS.resolve("version.classlist")).isNotEmptyFile();

    assertThat(run("--version")).contains("hotpatch");
    assertThat(WRITING).doesNotExist();
    assertThat(Files.getLastModifiedTime(ARCHIVE))
        .as("a known command writes nothing")
        .isEqualTo(first);

    run("jvms");
    awaitWriterDone();
    assertThat(LISTS.resolve("jvms.classlist")).isNotEmptyFile();
    assertThat(Files.getLastModifiedTime(ARCHIVE)).isGreaterThan(first);
    assertThat(list(LISTS)).containsExactlyInAnyOrder("jvms.classlist", "version.classlist");
    assertThat(mapsTheArchive()).as("the JVM maps the archive").isTrue();
  }

  @Test
  void aFailedRunListsNothingAndLeavesACurrentArchiveAlone() throws Exception {
    run("--version");
    awaitWriterDone();
    FileTime before = Files.getLastModifiedTime(ARCHIVE);

    Process failed = start("status", "--pid", "abc");
    assertThat(failed.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(failed.exitValue()).isEqualTo(2);
    assertThat(WRITING).doesNotExist();
    assertThat(LISTS.resolve("status.classlist")).doesNotExist();
    assertThat(Files.getLastModifiedTime(ARCHIVE)).isEqualTo(before);
  }

  private static boolean mapsTheArchive() throws Exception {
    Process java =
        new ProcessBuilder(
                "java",
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Xshare:on",
                "-XX:SharedArchiveFile=" + ARCHIVE,
                "-jar",
                ROOT.resolve("cli/target/hotpatch-cli.jar").toString(),
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
        .until(() -> !Files.exists(WRITING) && Files.isRegularFile(ARCHIVE));
  }

  private static String run(String... args) throws Exception {
    Process process = start(args);
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }

  private static Process start(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/hotpatch").toString()));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static void copy(String path) throws Exception {
    Path target = ROOT.resolve(path);
    Files.createDirectories(target.getParent());
    Files.copy(REPO.resolve(path), target, StandardCopyOption.COPY_ATTRIBUTES);
    Files.setLastModifiedTime(target, FileTime.fromMillis(System.currentTimeMillis()));
  }

  private static List<String> list(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }

  private static void deleteTree(Path dir) throws Exception {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted((a, b) -> b.compareTo(a)).toList()) {
        Files.delete(file);
      }
    }
  }
}
