package io.hotpatch.operator.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DuplicateConnectionGaugeFilterTest {
  private final DuplicateConnectionGaugeFilter filter = new DuplicateConnectionGaugeFilter();

  @ParameterizedTest
  @ValueSource(strings = {"vertx.http.connections.current", "vertx.http.connections.max"})
  void dropsMicrometersWarningAboutQuarkussConnectionGauges(String gauge) {
    List<LogRecord> warnings = micrometerWarningsOnRegisteringTwice(gauge);

    assertThat(warnings).hasSize(1);
    assertThat(filter.isLoggable(warnings.get(0))).isFalse();
  }

  @Test
  void keepsTheSameWarningAboutAnyOtherGaugeAndEveryOtherRecord() {
    assertThat(
            filter.isLoggable(
                new LogRecord(
                    Level.WARNING,
                    "This Gauge has been already registered (MeterId{name='hotpatch.channel.polls.waiting',"
                        + " tags=[]}), the registration will be ignored.")))
        .isTrue();
    assertThat(filter.isLoggable(new LogRecord(Level.WARNING, null))).isTrue();
    assertThat(filter.isLoggable(new LogRecord(Level.INFO, "HTTPS: BoringSSL (BoringSSL)")))
        .isTrue();
  }

  /**
   * What Micrometer itself logs when a gauge of that name is registered a second time: a warning
   * the first time in a JVM, the same words at debug level after that, so both are captured.
   */
  private static List<LogRecord> micrometerWarningsOnRegisteringTwice(String name) {
    List<LogRecord> records = new ArrayList<>();
    Logger logger = Logger.getLogger(MeterRegistry.class.getName());
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Level level = logger.getLevel();
    logger.setLevel(Level.ALL);
    logger.addHandler(capture);
    try {
      MeterRegistry registry = new SimpleMeterRegistry();
      Gauge.builder(name, () -> 1).register(registry);
      Gauge.builder(name, () -> 2).register(registry);
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(level);
    }
    return records;
  }
}
