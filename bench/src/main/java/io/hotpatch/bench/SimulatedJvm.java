package io.hotpatch.bench;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.sidecar.daemon.Agent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pod's app JVM as the agent would describe it, in memory: its active patches, and an apply that
 * takes {@code applyTime} (the attach and redefinition of a real JVM) before it succeeds.
 */
final class SimulatedJvm implements Agent {
  private final long startMillis = System.currentTimeMillis();
  private final Duration applyTime;
  private final Map<String, AppliedPatch> active = new ConcurrentHashMap<>();
  private final AtomicInteger applies = new AtomicInteger();
  private final List<Redefinition> redefinitions = new CopyOnWriteArrayList<>();

  /** When a redefinition of this JVM ran, in {@link System#nanoTime()}. */
  record Redefinition(long startNanos, long endNanos) {}

  SimulatedJvm(Duration applyTime) {
    this.applyTime = applyTime;
  }

  @Override
  public AgentStatus status(long pid) {
    return new AgentStatus(
        "0.1.0",
        "17.0.15",
        "Eclipse Adoptium",
        true,
        startMillis,
        List.copyOf(active.values()),
        List.of());
  }

  @Override
  public PatchResult apply(long pid, Path bundle, String sha256, boolean allowJdkClasses) {
    long start = System.nanoTime();
    try {
      Thread.sleep(applyTime.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return PatchResult.of("apply", ResultState.FAILED, sha256, "interrupted");
    }
    applies.incrementAndGet();
    redefinitions.add(new Redefinition(start, System.nanoTime()));
    active.put(
        sha256,
        new AppliedPatch(
            sha256,
            System.currentTimeMillis(),
            PatchMethod.HOT,
            List.of(
                new PatchedClass("shop.PriceCalculator", "app", PatchedClass.State.PATCHED, ""))));
    return PatchResult.of("apply", ResultState.APPLIED, sha256, "redefined 1 class");
  }

  @Override
  public PatchResult revert(long pid, String sha256) {
    active.remove(sha256);
    return PatchResult.of("revert", ResultState.REVERTED, sha256, "reverted");
  }

  boolean isActive(String sha256) {
    return active.containsKey(sha256);
  }

  int applies() {
    return applies.get();
  }

  List<Redefinition> redefinitions() {
    return List.copyOf(redefinitions);
  }
}
