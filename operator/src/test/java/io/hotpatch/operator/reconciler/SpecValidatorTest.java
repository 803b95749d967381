package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.rollout.Problem;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every spec field is checked by the operator itself, as the schema would, and refused by name. */
class SpecValidatorTest {
  private static final String SELECTOR = "\"selector\": {\"matchLabels\": {\"app\": \"checkout\"}}";
  private static final String SHA =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String BUNDLE =
      "\"bundle\": {\"configMapRef\": {\"name\": \"fix\"}, \"sha256\": \"" + SHA + "\"}";

  @Test
  void aCompleteSpecIsValid() {
    assertThat(
            validate(
                SELECTOR
                    + ", "
                    + BUNDLE
                    + ", \"containerName\": \"app\", \"strategy\": {\"mode\":"
                    + " \"HotOnly\", \"maxParallel\": \"25%\", \"canary\": {\"pods\": 1, \"soakSeconds\": 30}}"))
        .isEmpty();
    assertThat(validate(SELECTOR + ", " + BUNDLE + ", \"strategy\": {\"maxParallel\": 3}"))
        .isEmpty();
    assertThat(
            validate(
                SELECTOR
                    + ", "
                    + BUNDLE
                    + ", \"strategy\": {\"healthCheck\": {\"httpGet\": {\"path\":"
                    + " \"/price?cents=1999\", \"port\": 8080}, \"expectedStatus\": 204, \"failureThreshold\": 20,"
                    + " \"periodSeconds\": 60, \"timeoutSeconds\": 10}}"))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "no selector | " + BUNDLE + " | spec.selector is missing or empty",
        "empty selector | \"selector\": {}, " + BUNDLE + " | spec.selector is missing or empty",
        "bad operator | \"selector\": {\"matchExpressions\": [{\"key\": \"app\", \"operator\": \"Near\"}]}, "
            + BUNDLE
            + " | spec.selector.matchExpressions entry for 'app' has operator 'Near'",
        "no bundle | " + SELECTOR + " | spec.bundle.configMapRef is missing",
        "bad config map | "
            + SELECTOR
            + ", \"bundle\": {\"configMapRef\": {\"name\": \"Fix!\"}, \"sha256\": \"x\"}"
            + " | spec.bundle.configMapRef.name 'Fix!' is not a ConfigMap name",
        "bad sha | "
            + SELECTOR
            + ", \"bundle\": {\"configMapRef\": {\"name\": \"fix\"}, \"sha256\": \"ABC\"}"
            + " | spec.bundle.sha256 'ABC' is not a sha256",
        "bad container | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"containerName\": \"App_1\""
            + " | spec.containerName 'App_1' is not a container name",
        "unknown mode | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"mode\": \"Fast\"}"
            + " | spec.strategy.mode is 'Fast': use one of Auto, HotOnly, RestartOnly",
        "wordy maxParallel | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"maxParallel\": \"lots\"}"
            + " | spec.strategy.maxParallel 'lots' is neither a pod count of at least 1 nor a percentage",
        "zero maxParallel | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"maxParallel\": 0}"
            + " | spec.strategy.maxParallel '0' is neither",
        "over 100% | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"maxParallel\": \"150%\"}"
            + " | spec.strategy.maxParallel '150%' is neither",
        "negative canary | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"canary\": {\"pods\": -1}}"
            + " | spec.strategy.canary has a negative count",
        "maxParallel as object | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"maxParallel\": {\"a\": 1}}"
            + " | spec.strategy.maxParallel",
        "canary pods as text | "
            + SELECTOR
            + ", "
            + BUNDLE
            + ", \"strategy\": {\"canary\": {\"pods\": \"one\"}}"
            + " | spec.strategy.canary.pods cannot be read",
      })
  void anInvalidFieldIsRefusedByName(String what, String spec, String message) {
    Optional<Problem> problem = validate(spec);

    assertThat(problem)
        .as(what)
        .hasValueSatisfying(
            p -> {
              assertThat(p.reason()).isEqualTo(Reason.InvalidSpec.name());
              assertThat(p.message()).startsWith(message.strip()).doesNotContain("\n");
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '~',
      value = {
        "no GET | {} | spec.strategy.healthCheck.httpGet is missing",
        "relative path | {\"httpGet\": {\"path\": \"healthz\", \"port\": 80}}"
            + " | spec.strategy.healthCheck.httpGet.path 'healthz' is not a path",
        "path with a space | {\"httpGet\": {\"path\": \"/a b\", \"port\": 80}}"
            + " | spec.strategy.healthCheck.httpGet.path '/a b' is not a path",
        "path with a header | {\"httpGet\": {\"path\": \"/a\\r\\nX: y\", \"port\": 80}}"
            + " | spec.strategy.healthCheck.httpGet.path",
        "no path | {\"httpGet\": {\"port\": 80}} | spec.strategy.healthCheck.httpGet.path 'null' is not a path",
        "port 0 | {\"httpGet\": {\"path\": \"/h\", \"port\": 0}}"
            + " | spec.strategy.healthCheck.httpGet.port 0 is not a port from 1 to 65535",
        "no port | {\"httpGet\": {\"path\": \"/h\"}} | spec.strategy.healthCheck.httpGet.port null",
        "port too high | {\"httpGet\": {\"path\": \"/h\", \"port\": 65536}}"
            + " | spec.strategy.healthCheck.httpGet.port 65536",
        "status | {\"httpGet\": {\"path\": \"/h\", \"port\": 80}, \"expectedStatus\": 99}"
            + " | spec.strategy.healthCheck.expectedStatus 99 is not an HTTP status",
        "threshold | {\"httpGet\": {\"path\": \"/h\", \"port\": 80}, \"failureThreshold\": 21}"
            + " | spec.strategy.healthCheck.failureThreshold 21 is not from 1 to 20",
        "period | {\"httpGet\": {\"path\": \"/h\", \"port\": 80}, \"periodSeconds\": 0}"
            + " | spec.strategy.healthCheck.periodSeconds 0 is not from 1 to 60",
        "timeout | {\"httpGet\": {\"path\": \"/h\", \"port\": 80}, \"timeoutSeconds\": 11}"
            + " | spec.strategy.healthCheck.timeoutSeconds 11 is not from 1 to 10",
      })
  void anInvalidHealthCheckIsRefusedByName(String what, String check, String message) {
    anInvalidFieldIsRefusedByName(
        what,
        SELECTOR + ", " + BUNDLE + ", \"strategy\": {\"healthCheck\": " + check + "}",
        message);
  }

  @Test
  void aHealthCheckPathIsBounded() {
    String path = "/" + "a".repeat(256);
    assertThat(
            validate(
                SELECTOR
                    + ", "
                    + BUNDLE
                    + ", \"strategy\": {\"healthCheck\": {\"httpGet\": {\"path\": \""
                    + path
                    + "\", \"port\": 80}}}"))
        .hasValueSatisfying(
            p ->
                assertThat(p.message())
                    .startsWith("spec.strategy.healthCheck.httpGet.path '/aaa")
                    .contains("at most 256")
                    .hasSizeLessThan(300));
  }

  @Test
  void aHotPatchWithoutSpecIsRefused() {
    assertThat(SpecValidator.validate(null))
        .hasValueSatisfying(p -> assertThat(p.message()).startsWith("spec is missing"));
  }

  /** The spec as the informer reads it: through Fabric8's mapper, from JSON no schema checked. */
  private static Optional<Problem> validate(String spec) {
    HotPatch hotPatch =
        Serialization.unmarshal(
            "{\"apiVersion\": \"hotpatch.io/v1alpha1\", \"kind\": \"HotPatch\","
                + " \"metadata\": {\"name\": \"fix\", \"namespace\": \"shop\"}, \"spec\": {"
                + spec
                + "}}",
            HotPatch.class);
    return SpecValidator.validate(hotPatch.getSpec());
  }
}
