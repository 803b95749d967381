package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier on real javac output: what a live HotSpot JVM accepts and what it refuses, with
 * the reasons.
 */
class ClassChangeClassifierTest {
  @TempDir Path scratch;

  private ClassChange classify(String before, String after, String... options) {
    String[] javacOptions = options.length == 0 ? new String[] {"--release", "8", "-g"} : options;
    return ClassChangeClassifier.classify(
        Javac.compile(scratch, "p.A", "package p; " + before, javacOptions).get("p.A"),
        Javac.compile(scratch, "p.A", "package p; " + after, javacOptions).get("p.A"));
  }

  private ClassChange refused(String before, String after, String... options) {
    ClassChange change = classify(before, after, options);
    assertThat(change.isChanged()).isTrue();
    assertThat(change.isHotApplicable()).as("%s", change.getReasons()).isFalse();
    return change;
  }

  @Test
  void aMethodBodyChangeIsHotApplicable() {
    ClassChange change =
        classify(
            "public class A { int f() { return 1; } }", "public class A { int f() { return 2; } }");

    assertThat(change.isChanged()).isTrue();
    assertThat(change.isHotApplicable()).isTrue();
    assertThat(change.getWarnings()).isEmpty();
  }

  @Test
  void debugAttributesAloneAreNoChange() {
    ClassChange change =
        classify(
            "public class A { int f() { return 1; } }",
            "public class A {\n\n  int f() {\n    return 1;\n  }\n}");

    assertThat(change.isChanged()).isFalse();
  }

  @Test
  void addedRemovedAndReorderedFieldsChangeTheSchema() {
    assertThat(
            refused("public class A { int a; }", "public class A { int a; long b; }").getReasons())
        .containsExactly("field added: long b");
    assertThat(
            refused("public class A { int a; long b; }", "public class A { int a; }").getReasons())
        .containsExactly("field removed: long b");
    assertThat(
            refused("public class A { int a; long b; }", "public class A { long b; int a; }")
                .getReasons())
        .containsExactly(
            "fields reordered from [a, b] to [b, a] (a live JVM compares fields in declaration order)");
  }

  @Test
  void addedRemovedAndReSignedMethodsAreRefused() {
    assertThat(refused("public class A { }", "public class A { void g() { } }").getReasons())
        .containsExactly("method added: void g()");
    assertThat(
            refused("public class A { private static void g() { } }", "public class A { }")
                .getReasons())
        .containsExactly("method removed or signature changed: void g()");
    assertThat(
            refused(
                    "public class A { int f(int x) { return x; } }",
                    "public class A { int f(long x) { return 1; } }")
                .getReasons())
        .containsExactly(
            "method removed or signature changed: int f(int)", "method added: int f(long)");
  }

  @Test
  void changedModifiersAreRefusedIncludingStrictVarargsAndSynchronized() {
    assertThat(
            refused(
                    "public class A { int f() { return 1; } }",
                    "public class A { synchronized int f() { return 1; } }")
                .getReasons())
        .containsExactly("method modifiers changed: int f() from '' to 'synchronized'");
    assertThat(
            refused(
                    "public class A { void f(int[] a) { } }",
                    "public class A { void f(int... a) { } }")
                .getReasons())
        .containsExactly("method modifiers changed: void f(int[]) from '' to 'varargs'");
    assertThat(
            refused(
                    "public class A { double f() { return 1; } }",
                    "public class A { strictfp double f() { return 1; } }")
                .getReasons())
        .containsExactly("method modifiers changed: double f() from '' to 'strict'");
    assertThat(
            refused("public class A { int x; }", "public class A { volatile int x; }").getReasons())
        .containsExactly("field modifiers changed: int x from '' to 'volatile'");
    assertThat(refused("public class A { }", "public final class A { }").getReasons())
        .containsExactly("class modifiers changed from 'public super' to 'public final super'");
  }

  @Test
  void aChangedHierarchyIsRefused() {
    assertThat(refused("public class A { }", "public class A extends Thread { }").getReasons())
        .containsExactly("superclass changed from java.lang.Object to java.lang.Thread");
    assertThat(
            refused(
                    "public class A { public void run() { } }",
                    "public class A implements Runnable { public void run() { } }")
                .getReasons())
        .containsExactly("interfaces changed from [] to [java.lang.Runnable]");
  }

  @Test
  void anAddedLambdaIsASyntheticMethodAndRefused() {
    ClassChange change =
        refused(
            "public class A { Runnable r() { return null; } }",
            "public class A { Runnable r() { return () -> { }; } }");

    assertThat(change.getReasons())
        .singleElement()
        .asString()
        .startsWith("lambda or other synthetic method added: void lambda$r$0()");
  }

  @Test
  void anAddedInnerClassChangesTheNestAttributesOnJava11AndLater() {
    ClassChange change =
        refused(
            "public class A { }", "public class A { static class Inner { } }", "--release", "17");

    assertThat(change.getReasons())
        .containsExactly(
            "nest attributes (NestHost/NestMembers) changed, e.g. an inner or anonymous class was added or removed");
  }

  @Test
  void aChangedCompileTimeConstantAppliesWithAWarning() {
    ClassChange change =
        classify(
            "public class A { public static final int MAX = 5; }",
            "public class A { public static final int MAX = 6; }");

    assertThat(change.isHotApplicable()).isTrue();
    assertThat(change.getWarnings())
        .singleElement()
        .asString()
        .startsWith(
            "compile-time constant p.A.MAX changed from 5 to 6: other classes may have inlined the old value");
  }
}
