package io.hotpatch.cli;

/** Conversions for the figures the demo and the benchmark print. */
final class Durations {
  private Durations() {}

  /** Whole milliseconds of a {@link System#nanoTime()} difference. */
  static long millis(long nanos) {
    return nanos / 1_000_000;
  }

  /** Milliseconds with two decimals, from the microseconds the load generator reports. */
  static double fromMicros(long micros) {
    return Math.round(micros / 10.0) / 100.0;
  }

  /** Sleeps, turning an interrupt (Ctrl-C) into a clean failure. */
  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.failure("interrupted: stopped and cleaned up");
    }
  }
}
