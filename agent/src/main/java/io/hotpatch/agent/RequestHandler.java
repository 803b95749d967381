package io.hotpatch.agent;

import io.hotpatch.core.AgentRequest;
import io.hotpatch.core.AgentStatus;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PhaseClock;
import io.hotpatch.core.ProtectedClasses;
import io.hotpatch.core.ResultState;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/** Runs one attach request (check, apply, revert, status) and returns the reply; never throws. */
final class RequestHandler {
  private final PatchEngine engine;
  private final PatchRegistry registry;
  private final boolean loadedAtStartup;
  private final String agentVersion;

  RequestHandler(
      PatchEngine engine, PatchRegistry registry, boolean loadedAtStartup, String agentVersion) {
    this.engine = engine;
    this.registry = registry;
    this.loadedAtStartup = loadedAtStartup;
    this.agentVersion = agentVersion;
  }

  Properties handle(String agentArgs) {
    AgentRequest request;
    try {
      request = AgentRequest.decode(agentArgs);
    } catch (RuntimeException e) {
      return PatchResult.of(
              "unknown",
              ResultState.FAILED,
              "",
              "bad agent arguments ("
                  + e.getMessage()
                  + "): use a hotpatch attacher of the same version")
          .toProperties();
    }
    String operation = request.getOperation().name().toLowerCase(Locale.ROOT);
    String offered = request.getAgentVersion();
    if (!offered.isEmpty()
        && !offered.equals(agentVersion)
        && request.getOperation() != AgentRequest.Operation.STATUS) {
      // The JVM keeps the first agent's classes for its life: the offered jar's code would not run.
      return PatchResult.of(
              operation,
              ResultState.FAILED,
              request.getPatchId(),
              "this JVM already runs hotpatch agent "
                  + agentVersion
                  + ", so the offered agent "
                  + offered
                  + " cannot load beside it and nothing was done: use the hotpatch "
                  + agentVersion
                  + " attacher (CLI or sidecar) for this JVM, or restart the JVM to run "
                  + offered)
          .toProperties();
    }
    try {
      switch (request.getOperation()) {
        case STATUS:
          return status().toProperties();
        case REVERT:
          if (request.getPatchId().isEmpty()) {
            return PatchResult.of(
                    operation,
                    ResultState.FAILED,
                    "",
                    "revert names no patch: pass a patch id from 'hotpatch status'")
                .toProperties();
          }
          return engine.revert(request.getPatchId()).toProperties();
        default:
          return apply(request, request.getOperation() == AgentRequest.Operation.CHECK)
              .toProperties();
      }
    } catch (Throwable e) {
      return PatchResult.of(
              operation,
              ResultState.FAILED,
              request.getPatchId(),
              "the agent failed unexpectedly ("
                  + Throwables.describe(e)
                  + "); the JVM keeps running")
          .toProperties();
    }
  }

  private PatchResult apply(AgentRequest request, boolean dryRun) {
    String operation = dryRun ? "check" : "apply";
    if (request.getBundlePath().isEmpty()) {
      return PatchResult.of(
          operation,
          ResultState.FAILED,
          "",
          operation + " names no bundle: pass the bundle's path");
    }
    PhaseClock clock = new PhaseClock();
    Bundle bundle;
    try {
      bundle = Bundle.read(new File(request.getBundlePath()));
    } catch (BundleException e) {
      return PatchResult.of(operation, ResultState.FAILED, "", e.getMessage());
    }
    String pin = request.getExpectedSha256();
    if (!pin.isEmpty() && !pin.equalsIgnoreCase(bundle.getSha256())) {
      return PatchResult.of(
          operation,
          ResultState.PRECONDITION_FAILED,
          bundle.getSha256(),
          "bundle sha256 "
              + bundle.getSha256()
              + " does not match the pinned "
              + pin
              + ": the bundle changed in transit or the pin is stale");
    }
    String refusal =
        ProtectedClasses.refusal(bundle.getClasses().keySet(), request.isAllowJdkClasses());
    if (refusal != null) {
      return PatchResult.of(
          operation,
          ResultState.NOT_HOT_APPLICABLE,
          bundle.getSha256(),
          refusal + "; nothing was changed");
    }
    String tooNew = ClassFileLevel.tooNew(bundle, ClassFileLevel.runningFeature());
    if (tooNew != null) {
      return PatchResult.of(
          operation, ResultState.FAILED, bundle.getSha256(), tooNew + "; nothing was changed");
    }
    clock.lap("readBundle");
    return engine.apply(bundle, dryRun, clock);
  }

  AgentStatus status() {
    List<AppliedPatch> patches = new ArrayList<AppliedPatch>();
    for (ActivePatch patch : registry.patches()) {
      patches.add(patch.toAppliedPatch());
    }
    return new AgentStatus(
        agentVersion,
        System.getProperty("java.version", ""),
        System.getProperty("java.vendor", ""),
        loadedAtStartup,
        JvmStart.millis(),
        patches,
        registry.warnings());
  }
}
