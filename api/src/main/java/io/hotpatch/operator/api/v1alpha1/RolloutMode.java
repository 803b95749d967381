package io.hotpatch.operator.api.v1alpha1;

/** Whether the patch may reach pods live, by restart, or both. */
public enum RolloutMode {
  Auto,
  HotOnly,
  RestartOnly
}
