package io.hotpatch.bench.hostile;

import io.hotpatch.bench.Fleet;
import io.hotpatch.sample.JavaHomes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One HostileRig for every attack on the operator's ports (each from a loopback address of its
 * own), started for the first test that asks for it and closed when the test run ends: an operator
 * start per attack class cost seconds and tested nothing.
 */
final class SharedOperator implements ParameterResolver {
  /** The connection cap (quarkus.http.limits.max-connections). */
  static final int CAP = 100;

  /**
   * The idle timeout (quarkus.http.idle-timeout), which UnfinishedTlsFloodIT waits out: above the
   * longest poll of these tests (1 s) and well above the time 400 flood connections take to open (4
   * s under load 20, 8 s under load 100), so that the flood counts the connections held before any
   * idles out.
   */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(15);

  static final Path WORK = Path.of("target", "hostile", "shared-operator").toAbsolutePath();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == HostileRig.class;
  }

  @Override
  public HostileRig resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(SharedOperator.class))
        .getOrComputeIfAbsent(HostileRig.class, key -> start(), HostileRig.class);
  }

  /** The operator's log, for the attacks that count its lines. */
  static Path log() {
    return WORK.resolve("operator.log");
  }

  private static HostileRig start() {
    try {
      return HostileRig.start(
          JavaHomes.current(),
          Fleet.operatorJar(),
          WORK,
          List.of(
              "quarkus.http.limits.max-connections=" + CAP,
              "quarkus.http.idle-timeout=" + IDLE_TIMEOUT.toSeconds() + "s"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
