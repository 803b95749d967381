package io.hotpatch.operator;

import io.hotpatch.operator.config.OperatorSettings;
import io.quarkus.runtime.configuration.DurationConverter;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.time.Duration;
import java.util.Map;

/** The operator's settings built by hand, as the operator reads them, for tests without Quarkus. */
public final class TestSettings {
  private TestSettings() {}

  /** Every default, except the given hotpatch.* properties. */
  public static OperatorSettings with(Map<String, String> properties) {
    return new SmallRyeConfigBuilder()
        // "5s", "5m": Quarkus's own spelling of durations, as the operator reads them.
        .withConverter(Duration.class, 200, new DurationConverter())
        .withDefaultValues(properties)
        .withMapping(OperatorSettings.class)
        .build()
        .getConfigMapping(OperatorSettings.class);
  }
}
