package io.hotpatch.e2e;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

/**
 * Runs the *E2E tests only when asked to (-De2e) and a Docker engine answers; otherwise disables
 * them and prints the reason once, with the command that runs them.
 */
public final class E2EEnabled implements ExecutionCondition {
  static final String HOW_TO_RUN =
      "run `scripts/build-images.sh && mvn -pl e2e verify -De2e` on a machine with a Docker engine";
  private static final AtomicBoolean PRINTED = new AtomicBoolean();
  private static volatile ConditionEvaluationResult verdict;

  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    ConditionEvaluationResult result = verdict();
    if (result.isDisabled() && PRINTED.compareAndSet(false, true)) {
      System.out.println(result.getReason().orElseThrow());
    }
    return result;
  }

  private static synchronized ConditionEvaluationResult verdict() {
    if (verdict == null) {
      verdict = decide();
    }
    return verdict;
  }

  private static ConditionEvaluationResult decide() {
    if (!Boolean.parseBoolean(System.getProperty("e2e", "false"))) {
      return ConditionEvaluationResult.disabled(
          "hotpatch e2e SKIPPED: -De2e is not set; " + HOW_TO_RUN);
    }
    if (!DockerClientFactory.instance().isDockerAvailable()) {
      return ConditionEvaluationResult.disabled(
          "hotpatch e2e SKIPPED: no Docker engine found (DOCKER_HOST or /var/run/docker.sock); "
              + HOW_TO_RUN);
    }
    return ConditionEvaluationResult.enabled("-De2e is set and a Docker engine answers");
  }
}
