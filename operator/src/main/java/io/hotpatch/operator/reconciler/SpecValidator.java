package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.hotpatch.operator.api.v1alpha1.BundleSource;
import io.hotpatch.operator.api.v1alpha1.CanaryStrategy;
import io.hotpatch.operator.api.v1alpha1.HealthCheck;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.HttpGetCheck;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.api.v1alpha1.RolloutStrategy;
import io.hotpatch.operator.rollout.Problem;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a HotPatch's spec as its schema would, because nothing guarantees the schema ran (an API
 * server without it, an older CRD): the first problem found, naming the field and the fix.
 */
public final class SpecValidator {
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern HTTP_PATH = Pattern.compile("/[!-~]*");
  private static final Pattern PERCENT = Pattern.compile("([1-9][0-9]?|100)%");
  private static final Set<String> WITH_VALUES = Set.of("In", "NotIn");
  private static final Set<String> WITHOUT_VALUES = Set.of("Exists", "DoesNotExist");

  private SpecValidator() {}

  /** The spec's first problem (reason {@value #INVALID_SPEC}), or empty when the spec is valid. */
  public static Optional<Problem> validate(HotPatchSpec spec) {
    return Optional.ofNullable(firstProblem(spec))
        .map(message -> new Problem(Reason.InvalidSpec, message));
  }

  private static String firstProblem(HotPatchSpec spec) {
    if (spec == null) {
      return "spec is missing: give the HotPatch a spec with selector and bundle (kubectl explain hotpatch.spec)";
    }
    if (spec.getUnreadable() != null) {
      return spec.getUnreadable();
    }
    String problem = selector(spec.getSelector());
    if (problem == null) {
      problem = bundle(spec.getBundle());
    }
    if (problem == null
        && spec.getContainerName() != null
        && !valid(DNS_LABEL, spec.getContainerName(), 63)) {
      problem =
          "spec.containerName '"
              + spec.getContainerName()
              + "' is not a container name: use the name of"
              + " the pod's container that runs the JVM, or leave it out when the pod has one";
    }
    return problem == null ? strategy(spec.getStrategy()) : problem;
  }

  private static String selector(LabelSelector selector) {
    Map<String, String> labels = selector == null ? null : selector.getMatchLabels();
    List<LabelSelectorRequirement> expressions =
        selector == null ? null : selector.getMatchExpressions();
    if ((labels == null || labels.isEmpty()) && (expressions == null || expressions.isEmpty())) {
      return "spec.selector is missing or empty, which would match every pod of the namespace: name the pods"
          + " to patch with matchLabels or matchExpressions";
    }
    for (LabelSelectorRequirement requirement :
        expressions == null ? List.<LabelSelectorRequirement>of() : expressions) {
      String operator = requirement.getOperator();
      boolean hasValues = requirement.getValues() != null && !requirement.getValues().isEmpty();
      if (requirement.getKey() == null || requirement.getKey().isBlank()) {
        return "spec.selector.matchExpressions has an entry without key: give every expression a label key";
      }
      if (!(WITH_VALUES.contains(operator) && hasValues)
          && !(WITHOUT_VALUES.contains(operator) && !hasValues)) {
        return "spec.selector.matchExpressions entry for '"
            + requirement.getKey()
            + "' has operator '"
            + operator
            + "' with "
            + (hasValues ? "" : "no ")
            + "values: use In or NotIn with values, Exists or"
            + " DoesNotExist without";
      }
    }
    return null;
  }

  private static String bundle(BundleSource bundle) {
    if (bundle == null || bundle.getConfigMapRef() == null) {
      return "spec.bundle.configMapRef is missing: name the ConfigMap that holds the bundle jar";
    }
    String name = bundle.getConfigMapRef().getName();
    if (name == null || !valid(DNS_SUBDOMAIN, name, 253)) {
      return "spec.bundle.configMapRef.name '"
          + name
          + "' is not a ConfigMap name: use the name of the"
          + " ConfigMap in this namespace that holds the bundle jar";
    }
    String key = bundle.getConfigMapRef().getKey();
    if (key != null && !valid(CONFIG_MAP_KEY, key, 253)) {
      return "spec.bundle.configMapRef.key '"
          + key
          + "' is not a ConfigMap key: use letters, digits, '-', '_'"
          + " and '.', or leave it out for bundle.jar";
    }
    if (bundle.getSha256() == null || !SHA256.matcher(bundle.getSha256()).matches()) {
      return "spec.bundle.sha256 '"
          + bundle.getSha256()
          + "' is not a sha256: pin the bundle with the 64"
          + " lowercase hex characters of `sha256sum bundle.jar`";
    }
    return null;
  }

  private static String strategy(RolloutStrategy strategy) {
    if (strategy == null) {
      return null;
    }
    IntOrString maxParallel = strategy.getMaxParallel();
    if (maxParallel != null
        && !(maxParallel.getIntVal() != null
            ? maxParallel.getIntVal() >= 1
            : maxParallel.getStrVal() != null
                && PERCENT.matcher(maxParallel.getStrVal()).matches())) {
      return "spec.strategy.maxParallel '"
          + (maxParallel.getIntVal() != null ? maxParallel.getIntVal() : maxParallel.getStrVal())
          + "' is neither a pod count of at least 1 nor a percentage from 1% to 100%:"
          + " write e.g. 2 or 25%";
    }
    CanaryStrategy canary = strategy.getCanary();
    if (canary != null
        && ((canary.getPods() != null && canary.getPods() < 0)
            || (canary.getSoakSeconds() != null && canary.getSoakSeconds() < 0))) {
      return "spec.strategy.canary has a negative count (pods "
          + canary.getPods()
          + ", soakSeconds "
          + canary.getSoakSeconds()
          + "): use 0 or more";
    }
    return healthCheck(strategy.getHealthCheck());
  }

  private static String healthCheck(HealthCheck check) {
    if (check == null) {
      return null;
    }
    HttpGetCheck get = check.getHttpGet();
    if (get == null) {
      return "spec.strategy.healthCheck.httpGet is missing: give the GET the sidecar sends to the app, e.g."
          + " {path: /healthz, port: 8080}, or leave healthCheck out";
    }
    String path = get.getPath();
    if (path == null
        || path.length() > HttpGetCheck.MAX_PATH
        || !HTTP_PATH.matcher(path).matches()) {
      return "spec.strategy.healthCheck.httpGet.path '"
          + (path == null ? null : shorten(path))
          + "' is not a path"
          + " of at most "
          + HttpGetCheck.MAX_PATH
          + " printable ASCII characters starting with '/': write e.g."
          + " /healthz (percent-encode spaces and other characters)";
    }
    if (!within(get.getPort(), 1, 65535)) {
      return "spec.strategy.healthCheck.httpGet.port "
          + get.getPort()
          + " is not a port from 1 to 65535: give"
          + " the port the app listens on in the pod";
    }
    if (check.getExpectedStatus() != null && !within(check.getExpectedStatus(), 100, 599)) {
      return "spec.strategy.healthCheck.expectedStatus "
          + check.getExpectedStatus()
          + " is not an HTTP status"
          + " from 100 to 599: leave it out for 200";
    }
    return bound(
        "failureThreshold",
        check.getFailureThreshold(),
        HealthCheck.MAX_FAILURE_THRESHOLD,
        bound(
            "periodSeconds",
            check.getPeriodSeconds(),
            HealthCheck.MAX_PERIOD_SECONDS,
            bound(
                "timeoutSeconds",
                check.getTimeoutSeconds(),
                HealthCheck.MAX_TIMEOUT_SECONDS,
                null)));
  }

  /** The problem of an optional count from 1 to max, else the next problem. */
  private static String bound(String field, Integer value, int max, String next) {
    return value == null || within(value, 1, max)
        ? next
        : "spec.strategy.healthCheck."
            + field
            + " "
            + value
            + " is not from 1 to "
            + max
            + ": use a value in that range, or leave it out for the default";
  }

  private static boolean within(Integer value, int min, int max) {
    return value != null && value >= min && value <= max;
  }

  /**
   * A user's value fit for a one-line message: control characters shown as '?', at most 80
   * characters.
   */
  private static String shorten(String value) {
    String line = value.replaceAll("\\p{Cntrl}", "?");
    return line.length() <= 80 ? line : line.substring(0, 80) + "...";
  }

  private static boolean valid(Pattern pattern, String value, int maxLength) {
    return value.length() <= maxLength && pattern.matcher(value).matches();
  }
}
