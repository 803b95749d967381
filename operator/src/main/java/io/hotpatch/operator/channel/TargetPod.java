package io.hotpatch.operator.channel;

/** A pod and the container whose JVM a patch is meant for (null: the pod's only app container). */
public record TargetPod(String namespace, String name, String uid, String container) {}
