package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One patch known to a JVM, as reported by the agent's status operation, with the state of every
 * class.
 */
public final class AppliedPatch {
  /** Whether the patch reached the running code, judged from its classes. */
  public enum State {
    /** At least one class copy runs the patched version. */
    APPLIED,
    /** No class is patched yet, but some wait to load. */
    PENDING,
    /**
     * Every class was skipped: the JVM runs none of the patch (a bundle built for another version,
     * say).
     */
    NOT_APPLIED
  }

  private final String id;
  private final long appliedAtMillis;
  private final PatchMethod method;
  private final List<PatchedClass> classes;

  public AppliedPatch(
      String id, long appliedAtMillis, PatchMethod method, List<PatchedClass> classes) {
    this.id = id;
    this.appliedAtMillis = appliedAtMillis;
    this.method = method;
    this.classes = Collections.unmodifiableList(new ArrayList<PatchedClass>(classes));
  }

  /** The bundle's sha256, which is the patch id. */
  public String getId() {
    return id;
  }

  /** When the patch was applied (hot) or registered at JVM start (startup). */
  public long getAppliedAtMillis() {
    return appliedAtMillis;
  }

  public PatchMethod getMethod() {
    return method;
  }

  /** One entry per class copy (per class when none is loaded), in bundle order. */
  public List<PatchedClass> getClasses() {
    return classes;
  }

  /** The bundle's class names, in bundle order. */
  public List<String> getClassNames() {
    Set<String> names = new LinkedHashSet<String>();
    for (PatchedClass patchedClass : classes) {
      names.add(patchedClass.getClassName());
    }
    return new ArrayList<String>(names);
  }

  public State getState() {
    boolean pending = false;
    for (PatchedClass patchedClass : classes) {
      if (patchedClass.getState() == PatchedClass.State.PATCHED) {
        return State.APPLIED;
      }
      pending |= patchedClass.getState() == PatchedClass.State.PENDING;
    }
    return pending ? State.PENDING : State.NOT_APPLIED;
  }
}
