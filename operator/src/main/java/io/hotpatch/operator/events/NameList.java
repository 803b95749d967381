package io.hotpatch.operator.events;

import java.util.List;

/** Names as an Event's message lists them: every one of a few, the first few of many. */
public final class NameList {
  /** How many names a message spells out before it counts the rest. */
  public static final int SHOWN = 10;

  private NameList() {}

  /** "a, b, c", or "a, ..., j and 9990 more" past {@link #SHOWN} names. */
  public static String brief(List<String> names) {
    if (names.size() <= SHOWN) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, SHOWN)) + " and " + (names.size() - SHOWN) + " more";
  }
}
