package io.hotpatch.operator.rollout;

/** Something the user must fix: a machine-readable reason and a message naming cause and fix. */
public record Problem(String reason, String message) {}
