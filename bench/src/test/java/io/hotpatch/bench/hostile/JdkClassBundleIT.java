package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.hotpatch.bench.Fleet;
import io.hotpatch.bench.OperatorProcess;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.testkit.HostileBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A bundle that patches java.lang.String: the built operator refuses it (Degraded, InvalidBundle)
 * and no sidecar ever gets it, until the HotPatch sets spec.allowJdkClasses; then it reaches the
 * pod's JVM through the real sidecar daemon. A class named like a path is refused for good.
 */
class JdkClassBundleIT {
  private static final Path WORK = Path.of("target", "hostile-it", "jdk-class").toAbsolutePath();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @Test
  void aBundleOfJavaLangStringIsRefusedUnlessTheHotPatchAllowsJdkClasses() throws Exception {
    Fleet.Settings settings = Fleet.Settings.local(1, Duration.ofMillis(50), "100%", WORK);
    try (Fleet fleet = Fleet.quiet(settings)) {
      String jdkSha =
          fleet.bundleConfigMap("jdk", HostileBundles.ofClass("java/lang/String", "String.java"));
      String pathSha =
          fleet.bundleConfigMap("path", HostileBundles.ofClass("../../etc/x", "x.java"));
      OperatorProcess operator = fleet.startOperator();
      fleet.connectSidecars();

      fleet.createHotPatch("string", "jdk", jdkSha, spec -> {});
      fleet.createHotPatch("path", "path", pathSha, spec -> spec.setAllowJdkClasses(true));

      awaitRefused(fleet, operator, "string");
      awaitRefused(fleet, operator, "path");
      assertThat(degraded(fleet, "string").getMessage())
          .isEqualTo(
              "Bundle in ConfigMap fleet/jdk is refused: bundle"
                  + " patches java.lang.String, a class of the JDK (java.*, javax.*, jdk.*, sun.*, com.sun.*), which is"
                  + " refused because it changes every application in the JVM: allow it explicitly (HotPatch"
                  + " spec.allowJdkClasses: true, hotpatch apply --allow-jdk-classes) only for a JDK fix you have tested");
      assertThat(degraded(fleet, "path").getMessage())
          .startsWith(
              "Bundle in ConfigMap fleet/path is refused: bundle"
                  + " has an entry named '../../etc/x.class': entry paths must be relative");
      assertThat(fleet.patchedJvms(jdkSha)).as("no JVM got java.lang.String").isZero();

      HotPatch allowed =
          fleet.hotPatches().stream()
              .filter(h -> h.getMetadata().getName().equals("string"))
              .findFirst()
              .orElseThrow();
      allowed.getSpec().setAllowJdkClasses(true);
      fleet.client().resource(allowed).update();

      Fleet.await(
          TIMEOUT,
          () -> fleet.patchedJvms(jdkSha) == 1,
          () -> "the allowed JDK patch did not reach the" + " pod; " + operator.tail());
      assertThat(fleet.patchedJvms(pathSha)).isZero();
    }
  }

  private static void awaitRefused(Fleet fleet, OperatorProcess operator, String name) {
    Fleet.await(
        TIMEOUT,
        () -> condition(fleet, name).filter(c -> "InvalidBundle".equals(c.getReason())).isPresent(),
        () -> name + " is not refused: " + condition(fleet, name) + "; " + operator.tail());
  }

  private static Condition degraded(Fleet fleet, String name) {
    return condition(fleet, name).orElseThrow();
  }

  private static Optional<Condition> condition(Fleet fleet, String name) {
    return fleet.hotPatches().stream()
        .filter(h -> h.getMetadata().getName().equals(name))
        .filter(h -> h.getStatus() != null)
        .flatMap(h -> h.getStatus().getConditions().stream())
        .filter(c -> "Degraded".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst();
  }
}
