package io.hotpatch.operator.channel;

/** Identifies one HotPatch resource (namespace and name) on the channel. */
public record PatchKey(String namespace, String name) {
  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
