package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.sidecar.AttachFailure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An agent in memory: keeps active patches, answers applies with a chosen state, counts calls. */
final class TestingAgent implements Agent {
  final List<String> calls = new ArrayList<>();
  final Map<String, AppliedPatch> active = new LinkedHashMap<>();
  ResultState applyAnswer = ResultState.APPLIED;
  AttachFailure attachFailure;
  boolean loadedAtStartup = true;
  long startMillis = 1_000;

  void activate(String sha, PatchMethod method, PatchedClass.State state) {
    active.put(
        sha,
        new AppliedPatch(
            sha,
            5,
            method,
            List.of(
                new PatchedClass(
                    "shop.PriceCalculator",
                    "app",
                    state,
                    state == PatchedClass.State.SKIPPED
                        ? "not the version the patch was built for"
                        : ""))));
  }

  @Override
  public AgentStatus status(long pid) throws AttachFailure {
    calls.add("status " + pid);
    if (attachFailure != null) {
      throw attachFailure;
    }
    return new AgentStatus(
        "0.1.0",
        "17.0.15",
        "Eclipse Adoptium",
        loadedAtStartup,
        startMillis,
        new ArrayList<>(active.values()),
        List.of());
  }

  @Override
  public PatchResult apply(long pid, Path bundle, String sha256, boolean allowJdkClasses) {
    calls.add("apply " + pid + " " + bundle.getFileName() + (allowJdkClasses ? " jdk" : ""));
    if (applyAnswer == ResultState.APPLIED) {
      activate(sha256, PatchMethod.HOT, PatchedClass.State.PATCHED);
    }
    return PatchResult.of("apply", applyAnswer, sha256, "answer " + applyAnswer);
  }

  @Override
  public PatchResult revert(long pid, String sha256) {
    calls.add("revert " + pid + " " + sha256);
    active.remove(sha256);
    return PatchResult.of("revert", ResultState.REVERTED, sha256, "reverted");
  }
}
