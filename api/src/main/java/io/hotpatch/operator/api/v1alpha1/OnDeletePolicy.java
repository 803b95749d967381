package io.hotpatch.operator.api.v1alpha1;

/** What deleting a HotPatch does to the JVMs it patched. */
public enum OnDeletePolicy {
  Keep,
  Revert
}
