package io.hotpatch.operator.rollout;

import io.hotpatch.core.Sha256;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The pod-template annotation that makes a workload roll for a HotPatch. Its value derives from the
 * HotPatch's uid and generation, so setting it again for the same generation changes nothing.
 */
public final class RestartAnnotation {
  public static final String PREFIX = "restart.hotpatch.io/";
  private static final int MAX_NAME = 63;

  private RestartAnnotation() {}

  public static String key(HotPatch hotPatch) {
    String name = hotPatch.getMetadata().getName();
    if (name.length() > MAX_NAME) {
      String hash = Sha256.hex(name.getBytes(StandardCharsets.UTF_8)).substring(0, 10);
      name = name.substring(0, MAX_NAME - 11) + "-" + hash;
    }
    return PREFIX + name;
  }

  public static String value(HotPatch hotPatch) {
    return hotPatch.getMetadata().getUid() + "." + hotPatch.getMetadata().getGeneration();
  }

  /** True when the annotations come from a template rolled for this HotPatch (any generation). */
  public static boolean marks(Map<String, String> annotations, HotPatch hotPatch) {
    String value = annotations == null ? null : annotations.get(key(hotPatch));
    return value != null && value.startsWith(hotPatch.getMetadata().getUid() + ".");
  }
}
