package io.hotpatch.operator.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotpatch.operator.rollout.RestartAnnotation;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The HotPatches whose restart fallback created a pod, read from its {@code restart.hotpatch.io/}
 * annotations ({@code <HotPatch uid>.<generation>}, copied from the rolled pod template): the
 * patches its init step waits for before the app starts. At most {@link #MAX} uids.
 */
final class RestartedFor {
  static final int MAX = 32;
  private static final Pattern VALUE = Pattern.compile("([0-9a-zA-Z-]{1,64})\\.[0-9]{1,19}");

  private RestartedFor() {}

  /**
   * The uids in annotation order; {@code dropped} counts the well-formed ones beyond {@link #MAX}.
   */
  record Uids(Set<String> uids, int dropped) {}

  static Uids of(ObjectNode annotations) {
    Set<String> uids = new LinkedHashSet<>();
    int dropped = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it =
            annotations == null ? null : annotations.fields();
        it != null && it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      var value = VALUE.matcher(entry.getValue().isTextual() ? entry.getValue().asText() : "");
      if (!entry.getKey().startsWith(RestartAnnotation.PREFIX) || !value.matches()) {
        continue;
      }
      if (uids.size() < MAX) {
        uids.add(value.group(1));
      } else if (!uids.contains(value.group(1))) {
        dropped++;
      }
    }
    return new Uids(uids, dropped);
  }
}
