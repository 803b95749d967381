package io.hotpatch.agent;

import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.PatchMethod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A patch active in this JVM: its id, how and when it came in, what it replaced and what it still waits for. */
final class ActivePatch {
  private final String id;
  private final long appliedAtMillis;
  private final PatchMethod method;
  private final List<String> classNames;
  private final List<PatchedCopy> copies = new ArrayList<PatchedCopy>();
  private final List<PendingClass> pending = new ArrayList<PendingClass>();

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

  AppliedPatch toAppliedPatch() {
    return new AppliedPatch(id, appliedAtMillis, method, classNames);
  }
}
