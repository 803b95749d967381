package io.hotpatch.agent;

import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchedClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A patch known to this JVM: its id, how and when it came in, what it replaced, what it still waits
 * for, and what became of each class copy (patched or skipped), which status reports.
 */
final class ActivePatch {
  // A class that loads again and again (redeployed web apps) must not grow the status without
  // bound.
  private static final int MAX_OUTCOMES_PER_CLASS = 16;

  private final String id;
  private final long appliedAtMillis;
  private final PatchMethod method;
  private final List<String> classNames;
  private final List<PatchedCopy> copies = new ArrayList<PatchedCopy>();
  private final List<PendingClass> pending = new ArrayList<PendingClass>();
  private final Map<String, List<PatchedClass>> outcomes =
      new LinkedHashMap<String, List<PatchedClass>>();

  ActivePatch(String id, long appliedAtMillis, PatchMethod method, List<String> classNames) {
    this.id = id;
    this.appliedAtMillis = appliedAtMillis;
    this.method = method;
    this.classNames = Collections.unmodifiableList(new ArrayList<String>(classNames));
  }

  String id() {
    return id;
  }

  PatchMethod method() {
    return method;
  }

  /** Every class of the bundle, patched or pending. */
  List<String> classNames() {
    return classNames;
  }

  synchronized void addCopy(PatchedCopy copy) {
    copies.add(copy);
  }

  synchronized List<PatchedCopy> copies() {
    return new ArrayList<PatchedCopy>(copies);
  }

  synchronized void addPending(PendingClass pendingClass) {
    pending.add(pendingClass);
  }

  synchronized List<PendingClass> pending() {
    return new ArrayList<PendingClass>(pending);
  }

  /** Records that this copy of the class runs the patch's version. */
  void patched(String className, String loader, String message) {
    record(new PatchedClass(className, loader, PatchedClass.State.PATCHED, message));
  }

  /** Records that this copy of the class was left as it was, and why. */
  void skipped(String className, String loader, String reason) {
    record(new PatchedClass(className, loader, PatchedClass.State.SKIPPED, reason));
  }

  private synchronized void record(PatchedClass outcome) {
    List<PatchedClass> list = outcomes.get(outcome.getClassName());
    if (list == null) {
      list = new ArrayList<PatchedClass>();
      outcomes.put(outcome.getClassName(), list);
    }
    if (list.size() < MAX_OUTCOMES_PER_CLASS) {
      list.add(outcome);
    }
  }

  /**
   * Every class copy's state; a class with no copy yet is pending, unless it is a new class whose
   * users were all skipped (then it will never be defined).
   */
  synchronized AppliedPatch toAppliedPatch() {
    Set<String> pendingNames = new HashSet<String>();
    for (PendingClass pendingClass : pending) {
      pendingNames.add(pendingClass.className());
    }
    List<PatchedClass> classes = new ArrayList<PatchedClass>();
    List<String> undefined = new ArrayList<String>();
    boolean anyLive = false;
    for (String name : classNames) {
      List<PatchedClass> recorded = outcomes.get(name);
      if (recorded != null) {
        classes.addAll(recorded);
        for (PatchedClass outcome : recorded) {
          anyLive |= outcome.getState() == PatchedClass.State.PATCHED;
        }
      } else if (pendingNames.contains(name)) {
        classes.add(
            new PatchedClass(
                name, "", PatchedClass.State.PENDING, "not loaded yet: patched when it loads"));
        anyLive = true;
      } else {
        undefined.add(name);
      }
    }
    for (String name : undefined) {
      classes.add(
          anyLive
              ? new PatchedClass(
                  name,
                  "",
                  PatchedClass.State.PENDING,
                  "new class: defined when a class that uses it loads")
              : new PatchedClass(
                  name,
                  "",
                  PatchedClass.State.SKIPPED,
                  "new class not defined: every class that uses it was skipped"));
    }
    return new AppliedPatch(id, appliedAtMillis, method, classes);
  }
}
