package io.hotpatch.agent;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.ResultState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What applying a bundle would do, decided before anything is touched: the classes to redefine, the
 * new classes to define, the classes to substitute when they load, and a verdict per class copy.
 */
final class PatchPlan {
  /** A loaded copy to redefine, with the bytes it has now (for revert). */
  static final class Redefinition {
    final Class<?> type;
    final byte[] current;
    final byte[] replacement;

    Redefinition(Class<?> type, byte[] current, byte[] replacement) {
      this.type = type;
      this.current = current;
      this.replacement = replacement;
    }
  }

  /** A class new with the patch, to define next to a loaded class that uses it. */
  static final class NewClass {
    final Class<?> host;
    final String className;
    final byte[] classFile;

    NewClass(Class<?> host, String className, byte[] classFile) {
      this.host = host;
      this.className = className;
      this.classFile = classFile;
    }
  }

  /** A class not loaded anywhere yet, to substitute when it loads. */
  static final class Deferred {
    final String className;
    final String expectedDigest;
    final byte[] replacement;
    final Map<String, byte[]> companions = new LinkedHashMap<String, byte[]>();

    Deferred(String className, String expectedDigest, byte[] replacement) {
      this.className = className;
      this.expectedDigest = expectedDigest;
      this.replacement = replacement;
    }
  }

  final List<ClassResult> results = new ArrayList<ClassResult>();
  final List<Redefinition> redefinitions = new ArrayList<Redefinition>();
  final List<NewClass> newClasses = new ArrayList<NewClass>();
  final List<Deferred> deferred = new ArrayList<Deferred>();

  /**
   * Null when the plan may go ahead; otherwise why nothing may be touched, and which class says so.
   */
  ResultState blockingState;

  String blockingClass;
  String blockingMessage;
  int skippedCopies;

  void block(ResultState state, String className, String message) {
    if (blockingState == null || rank(state) > rank(blockingState)) {
      blockingState = state;
      blockingClass = className;
      blockingMessage = message;
    }
  }

  boolean isBlocked() {
    return blockingState != null;
  }

  /** True when the plan changes nothing: every class already has the patched version. */
  boolean isNoOp() {
    return redefinitions.isEmpty() && newClasses.isEmpty() && deferred.isEmpty();
  }

  // A corrupt class outranks a version mismatch, which makes any classification meaningless.
  private static int rank(ResultState state) {
    switch (state) {
      case FAILED:
        return 3;
      case PRECONDITION_FAILED:
        return 2;
      default:
        return 1;
    }
  }
}
