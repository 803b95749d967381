package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One patch active in a JVM, as reported by the agent's status operation. */
public final class AppliedPatch {
  private final String id;
  private final long appliedAtMillis;
  private final PatchMethod method;
  private final List<String> classes;

  public AppliedPatch(String id, long appliedAtMillis, PatchMethod method, List<String> classes) {
    this.id = id;
    this.appliedAtMillis = appliedAtMillis;
    this.method = method;
    this.classes = Collections.unmodifiableList(new ArrayList<String>(classes));
  }

  /** The bundle's sha256, which is the patch id. */
  public String getId() {
    return id;
  }

  public long getAppliedAtMillis() {
    return appliedAtMillis;
  }

  public PatchMethod getMethod() {
    return method;
  }

  public List<String> getClasses() {
    return classes;
  }
}
