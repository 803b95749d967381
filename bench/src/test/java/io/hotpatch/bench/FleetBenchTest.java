package io.hotpatch.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bench's JVM runs its simulated sidecars with the shipped sidecar's system properties. */
class FleetBenchTest {
  private Properties before;

  @BeforeEach
  void keepProperties() {
    before = (Properties) System.getProperties().clone();
  }

  @AfterEach
  void restoreProperties() {
    System.setProperties(before);
  }

  @Test
  void simulatedSidecarsOfferTheShippedKeyShareOnly() {
    System.clearProperty("jdk.tls.namedGroups");

    FleetBench.runSidecarsAsShipped();

    assertThat(System.getProperty("jdk.tls.namedGroups")).isEqualTo("x25519");
  }
}
