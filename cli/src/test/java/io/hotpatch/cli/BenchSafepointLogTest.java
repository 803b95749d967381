package io.hotpatch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotpatch.cli.SafepointLog.Pause;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The safepoint log parser of {@code hotpatch bench}, on lines JDK 17 and Temurin 25 really wrote
 * during a bench.
 */
class BenchSafepointLogTest {
  @Test
  void readsOperationAndTotalFromJdk17Lines() throws IOException {
    List<Pause> pauses = SafepointLog.parseAll(resource("jdk17.log"));

    assertThat(pauses).hasSize(27);
    assertThat(pauses.get(0)).isEqualTo(new Pause("Cleanup", 94808));
    assertThat(pauses.stream().filter(Pause::isRedefine).map(Pause::totalNanos))
        .containsExactly(30162042L, 29040066L, 21983676L, 160377486L, 115642701L, 114044791L);
    assertThat(pauses)
        .extracting(Pause::operation)
        .contains("G1CollectForAllocation", "ICBufferFull");
  }

  @Test
  void readsOperationAndTotalFromJdk25LinesWithLeavingAndThreads() throws IOException {
    List<Pause> pauses = SafepointLog.parseAll(resource("jdk25.log"));

    assertThat(pauses).hasSize(10);
    assertThat(pauses.get(2)).isEqualTo(new Pause("SetNotifyJvmtiEventsMode", 37931));
    assertThat(pauses.stream().filter(Pause::isRedefine).map(Pause::totalNanos))
        .containsExactly(10716842L, 137394513L, 114100235L, 163576402L, 89995345L, 65660074L);
  }

  @Test
  void ignoresLinesThatAreNotSafepointSummaries() {
    assertThat(SafepointLog.parse("[0.012s][safepoint] Application time: 0.0123 seconds"))
        .isEmpty();
    assertThat(SafepointLog.parse("Safepoint \"Cleanup\", Time since last: 5 ns")).isEmpty();
    assertThat(SafepointLog.parse("")).isEmpty();
  }

  @Test
  void nextReturnsOnlyNewCompleteLinesAsTheFileGrows(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("safepoint.log");
    SafepointLog log = new SafepointLog(file);
    assertThat(log.next()).as("before the JVM created the file").isEmpty();
    List<String> lines = resource("jdk25.log").lines().toList();

    Files.writeString(file, lines.get(0) + "\n" + lines.get(3).substring(0, 40));
    assertThat(log.next()).extracting(Pause::operation).containsExactly("G1CollectForAllocation");

    Files.writeString(file, lines.get(3).substring(40) + "\n", StandardOpenOption.APPEND);
    assertThat(log.next()).containsExactly(new Pause("RedefineClasses", 10716842));
    assertThat(log.next()).isEmpty();
  }

  @Test
  void nextWithRedefineFailsInOneLineWhenNoRedefinitionWasLogged(@TempDir Path dir)
      throws IOException {
    Path file = dir.resolve("safepoint.log");
    Files.writeString(file, resource("jdk25.log").lines().findFirst().orElseThrow() + "\n");
    SafepointLog log = new SafepointLog(file);

    assertThatThrownBy(() -> log.nextWithRedefine(50))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("no \"RedefineClasses\" safepoint")
        .hasMessageNotContaining("\n");
  }

  @Test
  void jvmOptionLogsSafepointsToItsFileWithUptimeAndTags(@TempDir Path dir) {
    assertThat(new SafepointLog(dir.resolve("s.log")).jvmOption())
        .isEqualTo("-Xlog:safepoint=info:file=" + dir.resolve("s.log") + ":uptime,tags");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = BenchSafepointLogTest.class.getResourceAsStream("/safepoint/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
