package io.hotpatch.agent;

import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PhaseClock;
import io.hotpatch.core.ResultState;
import java.lang.instrument.ClassDefinition;
import java.util.ArrayList;
import java.util.List;

/**
 * Check, apply and revert: turns a plan into one atomic redefinition and keeps the registry in
 * step.
 */
final class PatchEngine {
  private final JvmAccess jvm;
  private final PatchRegistry registry;
  private final PatchPlanner planner;

  PatchEngine(JvmAccess jvm, PatchRegistry registry) {
    this.jvm = jvm;
    this.registry = registry;
    this.planner = new PatchPlanner(jvm, registry);
  }

  /** Check (dryRun) or apply a bundle that has already passed the sha256 pin. */
  PatchResult apply(Bundle bundle, boolean dryRun) {
    return apply(bundle, dryRun, new PhaseClock());
  }

  /**
   * As {@link #apply(Bundle, boolean)}, timing each phase on {@code clock}, which the caller
   * started.
   */
  synchronized PatchResult apply(Bundle bundle, boolean dryRun, PhaseClock clock) {
    String operation = dryRun ? "check" : "apply";
    String id = bundle.getSha256();
    ActivePatch active = registry.byId(id);
    if (active != null) {
      return alreadyKnown(operation, active, dryRun);
    }
    PatchPlan plan = planner.plan(bundle, clock);
    if (plan.isBlocked()) {
      List<ClassResult> results = new ArrayList<ClassResult>();
      for (ClassResult result : plan.results) {
        results.add(
            result.getState() != ResultState.APPLIED
                ? result
                : new ClassResult(
                    result.getClassName(),
                    result.getLoader(),
                    plan.blockingState,
                    "not changed: " + plan.blockingClass + " blocked the bundle"));
      }
      return new PatchResult(
          operation,
          plan.blockingState,
          id,
          plan.blockingMessage + "; nothing was changed",
          dryRun,
          results);
    }
    if (plan.isNoOp()) {
      // Nothing to redefine, define or wait for: registering it would list a patch that does
      // nothing.
      return new PatchResult(
          operation,
          ResultState.ALREADY_APPLIED,
          id,
          "every class already has the patched version: nothing changed, patch "
              + Loaders.shortId(id)
              + " not registered",
          dryRun,
          plan.results);
    }
    if (dryRun) {
      return new PatchResult(
              operation,
              ResultState.APPLIED,
              id,
              "would apply: " + summary(plan),
              true,
              plan.results)
          .withPhases(clock.millis());
    }
    // Registered first, so a pending class that loads from now on is substituted, not missed.
    ActivePatch patch = pendingPatch(bundle, plan);
    registry.add(patch);
    PatchResult failure = defineNewClasses(plan, id);
    clock.lap("define");
    if (failure == null) {
      failure = redefine(definitions(plan), "apply", id, plan.results, "nothing was changed");
      clock.lap("redefine");
    }
    if (failure != null) {
      registry.remove(patch);
      return failure.withPhases(clock.millis());
    }
    for (PatchPlan.Redefinition redefinition : plan.redefinitions) {
      patch.addCopy(
          new PatchedCopy(
              redefinition.type.getName(),
              redefinition.type.getClassLoader(),
              redefinition.current,
              redefinition.replacement));
    }
    recordOutcomes(patch, plan.results);
    clock.lap("record");
    return new PatchResult(
            operation,
            ResultState.APPLIED,
            id,
            "applied: " + summary(plan) + " (patch " + Loaders.shortId(id) + ")",
            false,
            plan.results)
        .withPhases(clock.millis());
  }

  /** A patch with this id is registered: unchanged, unless none of its classes runs it. */
  private static PatchResult alreadyKnown(String operation, ActivePatch active, boolean dryRun) {
    String shortId = Loaders.shortId(active.id());
    if (active.toAppliedPatch().getState() == AppliedPatch.State.NOT_APPLIED) {
      return new PatchResult(
          operation,
          ResultState.PRECONDITION_FAILED,
          active.id(),
          "patch "
              + shortId
              + " is registered ("
              + active.method().displayName()
              + ") but every class of it was"
              + " skipped ('hotpatch status' says why): revert it, then apply a bundle built for this JVM",
          dryRun,
          new ArrayList<ClassResult>());
    }
    return new PatchResult(
        operation,
        ResultState.ALREADY_APPLIED,
        active.id(),
        "patch "
            + shortId
            + " is already active ("
            + active.method().displayName()
            + "): nothing changed",
        dryRun,
        new ArrayList<ClassResult>());
  }

  /** What status reports per class copy: loaded copies now; pending ones as they load. */
  private static void recordOutcomes(ActivePatch patch, List<ClassResult> results) {
    for (ClassResult result : results) {
      if (result.getLoader().isEmpty()) {
        continue;
      }
      if (result.getState() == ResultState.APPLIED
          || result.getState() == ResultState.ALREADY_APPLIED) {
        patch.patched(result.getClassName(), result.getLoader(), result.getMessage());
      } else if (result.getState() == ResultState.PRECONDITION_FAILED) {
        patch.skipped(result.getClassName(), result.getLoader(), result.getMessage());
      }
    }
  }

  synchronized PatchResult revert(String idOrPrefix) {
    List<ActivePatch> found = registry.byPrefix(idOrPrefix);
    if (found.isEmpty()) {
      return PatchResult.of(
          "revert",
          ResultState.FAILED,
          idOrPrefix,
          "no active patch " + idOrPrefix + ": 'hotpatch status' lists the active ones");
    }
    if (found.size() > 1) {
      return PatchResult.of(
          "revert",
          ResultState.FAILED,
          idOrPrefix,
          "patch id prefix "
              + idOrPrefix
              + " matches "
              + found.size()
              + " active patches: give more characters of the id");
    }
    ActivePatch patch = found.get(0);
    ActivePatch newer = registry.newerOnSameClasses(patch);
    if (newer != null) {
      return PatchResult.of(
          "revert",
          ResultState.PRECONDITION_FAILED,
          patch.id(),
          "patch "
              + Loaders.shortId(patch.id())
              + " cannot be reverted while patch "
              + Loaders.shortId(newer.id())
              + " is stacked on the same classes: revert "
              + Loaders.shortId(newer.id())
              + " first");
    }
    List<ClassDefinition> definitions = new ArrayList<ClassDefinition>();
    List<ClassResult> results = new ArrayList<ClassResult>();
    Class<?>[] loaded = jvm.loadedClasses();
    for (PatchedCopy copy : patch.copies()) {
      Class<?> type = find(loaded, copy);
      if (type == null) {
        results.add(
            new ClassResult(
                copy.className(),
                copy.loaderName(),
                ResultState.REVERTED,
                "unloaded since: nothing to restore"));
      } else {
        definitions.add(new ClassDefinition(type, copy.previous()));
        results.add(
            new ClassResult(copy.className(), copy.loaderName(), ResultState.REVERTED, "restored"));
      }
    }
    PatchResult failure =
        redefine(
            definitions,
            "revert",
            patch.id(),
            results,
            "the patch stays active; restart the JVM without it to undo it");
    if (failure != null) {
      return failure;
    }
    registry.remove(patch);
    return new PatchResult(
        "revert",
        ResultState.REVERTED,
        patch.id(),
        "reverted patch "
            + Loaders.shortId(patch.id())
            + ": "
            + count(definitions.size(), "class copy", "class copies")
            + " restored",
        false,
        results);
  }

  private static Class<?> find(Class<?>[] loaded, PatchedCopy copy) {
    for (Class<?> type : loaded) {
      if (copy.isCopyOf(type.getName(), type.getClassLoader())) {
        return type;
      }
    }
    return null;
  }

  private PatchResult defineNewClasses(PatchPlan plan, String id) {
    for (PatchPlan.NewClass newClass : plan.newClasses) {
      ClassLoader loader = newClass.host.getClassLoader();
      try {
        jvm.defineNextTo(newClass.host, newClass.className, newClass.classFile);
        registry.recordDefined(newClass.className, loader, newClass.classFile);
      } catch (Throwable e) {
        return failure(
            "apply",
            ResultState.FAILED,
            id,
            "could not define new class "
                + newClass.className
                + " in loader "
                + Loaders.describe(loader)
                + " ("
                + Throwables.describe(e)
                + ")",
            "nothing was redefined",
            plan.results);
      }
    }
    return null;
  }

  /** Null on success; a result naming the classes and the JVM's reason otherwise. */
  private PatchResult redefine(
      List<ClassDefinition> definitions,
      String operation,
      String id,
      List<ClassResult> results,
      String consequence) {
    if (definitions.isEmpty()) {
      return null;
    }
    try {
      jvm.redefine(definitions);
      return null;
    } catch (UnsupportedOperationException e) {
      return failure(
          operation,
          ResultState.NOT_HOT_APPLICABLE,
          id,
          "the JVM refused to redefine " + names(definitions) + ": " + e.getMessage(),
          consequence,
          results);
    } catch (Throwable e) {
      return failure(
          operation,
          ResultState.FAILED,
          id,
          "the JVM could not redefine " + names(definitions) + ": " + Throwables.describe(e),
          consequence,
          results);
    }
  }

  /** Every class that was to change gets the failure: the JVM does not say which one it refused. */
  private static PatchResult failure(
      String operation,
      ResultState state,
      String id,
      String reason,
      String consequence,
      List<ClassResult> planned) {
    List<ClassResult> results = new ArrayList<ClassResult>();
    for (ClassResult result : planned) {
      boolean wasToChange =
          result.getState() == ResultState.APPLIED || result.getState() == ResultState.REVERTED;
      results.add(
          !wasToChange
              ? result
              : new ClassResult(
                  result.getClassName(), result.getLoader(), state, reason + "; left unchanged"));
    }
    return new PatchResult(operation, state, id, reason + "; " + consequence, false, results);
  }

  private static List<ClassDefinition> definitions(PatchPlan plan) {
    List<ClassDefinition> definitions = new ArrayList<ClassDefinition>();
    for (PatchPlan.Redefinition redefinition : plan.redefinitions) {
      definitions.add(new ClassDefinition(redefinition.type, redefinition.replacement));
    }
    return definitions;
  }

  private static ActivePatch pendingPatch(Bundle bundle, PatchPlan plan) {
    ActivePatch patch =
        new ActivePatch(
            bundle.getSha256(),
            System.currentTimeMillis(),
            PatchMethod.HOT,
            new ArrayList<String>(bundle.getClasses().keySet()));
    for (PatchPlan.Deferred deferred : plan.deferred) {
      patch.addPending(
          new PendingClass(
              patch,
              deferred.className,
              deferred.expectedDigest,
              deferred.replacement,
              deferred.companions));
    }
    return patch;
  }

  private static String summary(PatchPlan plan) {
    StringBuilder out = new StringBuilder();
    out.append(count(plan.redefinitions.size(), "class copy", "class copies")).append(" redefined");
    if (!plan.newClasses.isEmpty()) {
      out.append(", ")
          .append(count(plan.newClasses.size(), "new class", "new classes"))
          .append(" defined");
    }
    if (!plan.deferred.isEmpty()) {
      out.append(", ")
          .append(count(plan.deferred.size(), "class", "classes"))
          .append(" patched when they load");
    }
    if (plan.skippedCopies > 0) {
      out.append(", ")
          .append(count(plan.skippedCopies, "copy", "copies"))
          .append(" left unpatched because")
          .append(plan.skippedCopies == 1 ? " it is" : " they are")
          .append(" not the version the patch was built for (see the class list)");
    }
    return out.toString();
  }

  private static String count(int count, String one, String many) {
    return count + " " + (count == 1 ? one : many);
  }

  private static String names(List<ClassDefinition> definitions) {
    List<String> names = new ArrayList<String>();
    for (ClassDefinition definition : definitions) {
      String name = definition.getDefinitionClass().getName();
      if (!names.contains(name)) {
        names.add(name);
      }
    }
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(3, names.size()); i++) {
      out.append(i == 0 ? "" : ", ").append(names.get(i));
    }
    return names.size() > 3 ? out + " and " + (names.size() - 3) + " more" : out.toString();
  }
}
