package io.hotpatch.operator.status;

/**
 * The status text of a Kubernetes condition (HotPatch or pod): "True" or "False", read and written
 * here only.
 */
public final class ConditionStatus {
  private ConditionStatus() {}

  public static String of(boolean value) {
    return value ? "True" : "False";
  }

  public static boolean isTrue(String status) {
    return "True".equals(status);
  }

  public static boolean isFalse(String status) {
    return "False".equals(status);
  }
}
