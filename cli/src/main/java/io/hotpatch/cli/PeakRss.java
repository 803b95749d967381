package io.hotpatch.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child process and reports its peak resident set size: the kernel's VmHWM
 * high-water mark from {@code /proc/<pid>/status}, sampled every millisecond until the child exits
 * (the mark only grows, so the last sample is the peak up to the child's final millisecond).
 */
final class PeakRss {
  /** The child's exit code, its peak RSS in KiB and what it printed. */
  record Run(int exitCode, long peakKib, String output) {}

  private PeakRss() {}

  static Run of(List<String> command) {
    try {
      Path output = Files.createTempFile("hotpatch-bench", ".out");
      try {
        Process child =
            new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        Path status = Path.of("/proc", Long.toString(child.pid()), "status");
        long peak = 0;
        while (!child.waitFor(1, TimeUnit.MILLISECONDS)) {
          peak = Math.max(peak, highWaterMark(status));
        }
        return new Run(child.exitValue(), peak, Files.readString(output));
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw CliException.failure(
          "cannot run "
              + command.get(0)
              + " ("
              + e.getMessage()
              + "): check the Java installation");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted: the benchmark stopped and cleaned up");
    }
  }

  private static long highWaterMark(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException exited) {
      // the child is gone or a zombie without memory figures
    }
    return 0;
  }
}
