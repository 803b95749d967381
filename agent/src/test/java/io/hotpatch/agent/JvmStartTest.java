package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JVM's start read from /proc, against the runtime MXBean's and on odd input. */
class JvmStartTest {
  @TempDir Path dir;

  @Test
  void onLinuxItMatchesTheRuntimeBeanAndIsNeverLater() {
    assumeTrue(new File("/proc/self/stat").isFile(), "no /proc here");
    long bean = ManagementFactory.getRuntimeMXBean().getStartTime();

    long proc = JvmStart.fromProc(new File("/proc/self/stat"), new File("/proc/stat"));

    // The boot time in /proc is whole seconds rounded down, and the process starts before the VM.
    assertThat(proc).isLessThanOrEqualTo(bean).isGreaterThan(bean - 2000);
    assertThat(JvmStart.millis()).isEqualTo(proc);
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() throws Exception {
    StringBuilder stat = new StringBuilder("4242 (java (odd) name) S");
    for (int field = 4; field <= 21; field++) {
      stat.append(' ').append(field);
    }
    stat.append(" 12345 99 98\n"); // field 22, the start in ticks, then more
    File self = write("self-stat", stat.toString());
    File boot = write("stat", "cpu  1 2 3\nbtime 1796000000\nprocesses 7\n");

    assertThat(JvmStart.fromProc(self, boot)).isEqualTo(1_796_000_000_000L + 123_450L);
  }

  @Test
  void unreadableOrGarbledFilesGiveZeroNotAWrongTime() throws Exception {
    File boot = write("stat", "btime 1796000000\n");

    assertThat(JvmStart.fromProc(dir.resolve("absent").toFile(), boot)).isZero();
    assertThat(JvmStart.fromProc(write("short", "1 (x) S 1 2\n"), boot)).isZero();
    assertThat(
            JvmStart.fromProc(
                write("self", "1 (x) S" + " 0".repeat(18) + " 77\n"), write("noboot", "cpu 1\n")))
        .isZero();
  }

  private File write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.US_ASCII).toFile();
  }
}
