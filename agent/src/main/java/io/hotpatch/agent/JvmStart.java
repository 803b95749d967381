package io.hotpatch.agent;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;

/**
 * When this JVM's process started, in epoch milliseconds: from {@code /proc} on Linux, else from
 * the runtime MXBean, whose classes take tens of milliseconds to load in a JVM that never used them
 * (an attach that needs this would pay for them while a user waits).
 */
final class JvmStart {
  /** The unit of a process's start time in {@code /proc} (USER_HZ, fixed at 100 for user space). */
  private static final long MILLIS_PER_TICK = 10;

  /** Read once: the boot time {@code /proc} reports moves when the wall clock is set. */
  private static volatile long cached = -1;

  private JvmStart() {}

  /** The process's start, or 0 when it cannot be told: every file then counts as changed since. */
  static long millis() {
    long start = cached;
    if (start < 0) {
      start = fromProc(new File("/proc/self/stat"), new File("/proc/stat"));
      if (start <= 0) {
        start = fromRuntimeBean();
      }
      cached = start;
    }
    return start;
  }

  /**
   * The start from {@code selfStat} (field 22: clock ticks after boot) and the boot time in {@code
   * stat} (whole seconds, rounded down, so the result is never later than the true start); 0 when
   * either cannot be read.
   */
  static long fromProc(File selfStat, File stat) {
    try {
      String self = new String(Files.readAllBytes(selfStat.toPath()), StandardCharsets.US_ASCII);
      // The command name (field 2) sits in parentheses and may hold spaces and parentheses itself.
      String[] fields = self.substring(self.lastIndexOf(')') + 2).trim().split(" ");
      long ticks = Long.parseLong(fields[22 - 3]);
      for (String line : Files.readAllLines(stat.toPath(), StandardCharsets.US_ASCII)) {
        if (line.startsWith("btime ")) {
          return Long.parseLong(line.substring("btime ".length()).trim()) * 1000
              + ticks * MILLIS_PER_TICK;
        }
      }
      return 0;
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long fromRuntimeBean() {
    try {
      return ManagementFactory.getRuntimeMXBean().getStartTime();
    } catch (Throwable e) {
      return 0;
    }
  }
}
