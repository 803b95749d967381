package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.hotpatch.agent.fixture.Counter;
import io.hotpatch.agent.fixture.Greeter;
import io.hotpatch.agent.fixture.NeverLoaded;
import io.hotpatch.core.AppliedPatch;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import org.junit.jupiter.api.Test;

/**
 * Check, apply and revert against a testing JVM: atomicity, idempotence, stacking and per-class
 * states.
 */
class PatchEngineTest {
  private static final String GREETER = Greeter.class.getName();
  private static final byte[] GREETER_V1 = ClassFiles.of(Greeter.class);
  private static final byte[] GREETER_V2 = ClassFiles.withString(GREETER_V1, "hello", "hello v2");
  private static final byte[] GREETER_V3 =
      ClassFiles.withString(GREETER_V2, "hello v2", "hello v3");

  private final TestingJvm jvm = new TestingJvm().load(Greeter.class, Counter.class);
  private final PatchRegistry registry = new PatchRegistry();
  private final PatchEngine engine = new PatchEngine(jvm, registry);

  @Test
  void appliesAMethodBodyChangeInOneRedefinition() {
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();

    PatchResult result = engine.apply(bundle, false);

    assertThat(result.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(result.getPatchId()).isEqualTo(bundle.getSha256());
    assertThat(jvm.redefinitions).hasSize(1);
    assertThat(jvm.running(Greeter.class)).isEqualTo(GREETER_V2);
    assertThat(registry.patches()).extracting(ActivePatch::method).containsExactly(PatchMethod.HOT);
  }

  @Test
  void appliesTheSameBundleOnlyOnce() {
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();
    engine.apply(bundle, false);

    PatchResult again = engine.apply(bundle, false);

    assertThat(again.getState()).isEqualTo(ResultState.ALREADY_APPLIED);
    assertThat(jvm.redefinitions).hasSize(1);
  }

  @Test
  void checkReportsWhatApplyWouldDoAndTouchesNothing() {
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();

    PatchResult result = engine.apply(bundle, true);

    assertThat(result.isDryRun()).isTrue();
    assertThat(result.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(result.getClasses()).extracting(ClassResult::getClassName).containsExactly(GREETER);
    assertThat(jvm.redefinitions).isEmpty();
    assertThat(registry.patches()).isEmpty();
  }

  @Test
  void refusesABundleBuiltForAnotherVersion() {
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V2, GREETER_V3).build();

    PatchResult result = engine.apply(bundle, false);

    assertThat(result.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
    assertThat(result.getMessage()).contains(GREETER, "not the version this patch was built for");
    assertThat(jvm.redefinitions).isEmpty();
  }

  @Test
  void leavesEveryClassUntouchedWhenOneIsNotHotApplicable() {
    byte[] counter = ClassFiles.of(Counter.class);
    Bundle bundle =
        new ClassFiles.BundleBuilder()
            .changed(GREETER, GREETER_V1, GREETER_V2)
            .changed(Counter.class.getName(), counter, ClassFiles.withField(counter, "extra"))
            .build();

    PatchResult result = engine.apply(bundle, false);

    assertThat(result.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
    assertThat(result.getMessage()).contains(Counter.class.getName(), "field added: int extra");
    assertThat(result.getClasses())
        .filteredOn(c -> c.getClassName().equals(GREETER))
        .singleElement()
        .satisfies(
            greeter -> {
              assertThat(greeter.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
              assertThat(greeter.getMessage())
                  .isEqualTo("not changed: " + Counter.class.getName() + " blocked the bundle");
            });
    assertThat(jvm.redefinitions).isEmpty();
    assertThat(registry.patches()).isEmpty();
  }

  @Test
  void aDifferentBundleWithWhatIsAlreadyLoadedChangesAndRegistersNothing() {
    Bundle first = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();
    Bundle sameClasses = new ClassFiles.BundleBuilder().plain(GREETER, GREETER_V2).build();
    engine.apply(first, false);

    PatchResult again = engine.apply(sameClasses, false);

    assertThat(sameClasses.getSha256()).isNotEqualTo(first.getSha256());
    assertThat(again.getState()).isEqualTo(ResultState.ALREADY_APPLIED);
    assertThat(again.getMessage()).contains("not registered");
    assertThat(registry.patches()).extracting(ActivePatch::id).containsExactly(first.getSha256());
    assertThat(jvm.redefinitions).hasSize(1);
  }

  @Test
  void statusShowsEachClassPatchedOrPending() {
    String pendingName = NeverLoaded.class.getName();
    byte[] pendingOriginal = ClassFiles.of(NeverLoaded.class);
    Bundle bundle =
        new ClassFiles.BundleBuilder()
            .changed(GREETER, GREETER_V1, GREETER_V2)
            .changed(
                pendingName,
                pendingOriginal,
                ClassFiles.withString(pendingOriginal, "never loaded", "patched"))
            .build();

    engine.apply(bundle, false);

    AppliedPatch status = registry.byId(bundle.getSha256()).toAppliedPatch();
    assertThat(status.getState()).isEqualTo(AppliedPatch.State.APPLIED);
    assertThat(status.getClasses())
        .extracting(PatchedClass::getClassName, PatchedClass::getState)
        .containsExactly(
            tuple(GREETER, PatchedClass.State.PATCHED),
            tuple(pendingName, PatchedClass.State.PENDING));
  }

  @Test
  void aHotPatchWhosePendingClassLoadsInAnotherVersionIsNotAppliedAndCannotBeReapplied() {
    String name = NeverLoaded.class.getName();
    byte[] original = ClassFiles.of(NeverLoaded.class);
    byte[] other = ClassFiles.withString(original, "never loaded", "other build");
    Bundle bundle =
        new ClassFiles.BundleBuilder()
            .changed(name, original, ClassFiles.withString(original, "never loaded", "patched"))
            .build();
    engine.apply(bundle, false);

    new LoadTimeSubstitutor(registry, new ClassDefiner(null))
        .transform(getClass().getClassLoader(), name.replace('.', '/'), null, null, other);

    AppliedPatch status = registry.byId(bundle.getSha256()).toAppliedPatch();
    assertThat(status.getState()).isEqualTo(AppliedPatch.State.NOT_APPLIED);
    assertThat(status.getClasses())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getState()).isEqualTo(PatchedClass.State.SKIPPED);
              assertThat(c.getMessage()).contains("not the version the patch was built for");
            });
    PatchResult again = engine.apply(bundle, false);
    assertThat(again.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
    assertThat(again.getMessage()).contains("every class of it was skipped", "revert it");
  }

  @Test
  void reportsTheJvmsRefusalAsNotHotApplicableAndRecordsNothing() {
    jvm.refuseRedefinition =
        new UnsupportedOperationException("class redefinition failed: attempted to add a method");
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();

    PatchResult result = engine.apply(bundle, false);

    assertThat(result.getState()).isEqualTo(ResultState.NOT_HOT_APPLICABLE);
    assertThat(result.getMessage()).contains(GREETER, "attempted to add a method");
    assertThat(result.getClasses())
        .extracting(ClassResult::getState)
        .containsOnly(ResultState.NOT_HOT_APPLICABLE);
    assertThat(registry.patches()).isEmpty();
  }

  @Test
  void reportsOtherRedefinitionErrorsAsFailed() {
    jvm.refuseRedefinition = new IllegalStateException("boom");
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();

    assertThat(engine.apply(bundle, false).getState()).isEqualTo(ResultState.FAILED);
  }

  @Test
  void stacksPatchesAndRevertsThemNewestFirst() {
    Bundle first = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();
    Bundle second = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V2, GREETER_V3).build();
    engine.apply(first, false);

    assertThat(engine.apply(second, false).getState()).isEqualTo(ResultState.APPLIED);
    assertThat(jvm.running(Greeter.class)).isEqualTo(GREETER_V3);

    PatchResult outOfOrder = engine.revert(first.getSha256());
    assertThat(outOfOrder.getState()).isEqualTo(ResultState.PRECONDITION_FAILED);
    assertThat(outOfOrder.getMessage())
        .contains("revert " + second.getSha256().substring(0, 12) + " first");

    assertThat(engine.revert(second.getSha256()).getState()).isEqualTo(ResultState.REVERTED);
    assertThat(jvm.running(Greeter.class)).isEqualTo(GREETER_V2);
    assertThat(engine.revert(first.getSha256().substring(0, 8)).getState())
        .isEqualTo(ResultState.REVERTED);
    assertThat(jvm.running(Greeter.class)).isEqualTo(GREETER_V1);
    assertThat(registry.patches()).isEmpty();
  }

  @Test
  void readsAClassOriginalOnceAcrossApplyRevertAndApply() {
    Bundle bundle = new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();

    engine.apply(bundle, false);
    engine.revert(bundle.getSha256());
    PatchResult again = engine.apply(bundle, false);

    assertThat(again.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(jvm.running(Greeter.class)).isEqualTo(GREETER_V2);
    assertThat(jvm.runningBytesReads).isEqualTo(1);
  }

  @Test
  void revertsPatchesOnDifferentClassesInAnyOrder() {
    byte[] other = ClassFiles.of(NeverLoaded.class);
    Bundle greeter =
        new ClassFiles.BundleBuilder().changed(GREETER, GREETER_V1, GREETER_V2).build();
    Bundle otherPatch =
        new ClassFiles.BundleBuilder()
            .changed(
                NeverLoaded.class.getName(),
                other,
                ClassFiles.withString(other, "never loaded", "x"))
            .build();
    engine.apply(greeter, false);
    engine.apply(otherPatch, false);

    assertThat(engine.revert(greeter.getSha256()).getState()).isEqualTo(ResultState.REVERTED);
    assertThat(registry.patches())
        .extracting(ActivePatch::id)
        .containsExactly(otherPatch.getSha256());
  }

  @Test
  void namesTheStatusCommandForAnUnknownPatch() {
    PatchResult result = engine.revert("abc123");

    assertThat(result.getState()).isEqualTo(ResultState.FAILED);
    assertThat(result.getMessage())
        .isEqualTo("no active patch abc123: 'hotpatch status' lists the active ones");
  }

  @Test
  void definesANewClassNextToTheClassThatUsesItBeforeRedefining() {
    String anonymous = GREETER + "$1";
    Bundle bundle =
        new ClassFiles.BundleBuilder()
            .changed(GREETER, GREETER_V1, GREETER_V2)
            .added(anonymous, ClassFiles.newClass(anonymous))
            .build();

    PatchResult result = engine.apply(bundle, false);

    assertThat(result.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(jvm.defined).containsExactly(anonymous + " next to " + GREETER);
    assertThat(registry.definedBytes(anonymous, Greeter.class.getClassLoader())).isNotNull();
  }

  @Test
  void leavesClassesThatAreNotLoadedForTheTransformer() {
    String name = NeverLoaded.class.getName();
    byte[] original = ClassFiles.of(NeverLoaded.class);
    Bundle bundle =
        new ClassFiles.BundleBuilder()
            .changed(name, original, ClassFiles.withString(original, "never loaded", "patched"))
            .build();

    PatchResult result = engine.apply(bundle, false);

    assertThat(result.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(result.getClasses())
        .extracting(ClassResult::getMessage)
        .containsExactly("not loaded yet: will be patched when it loads");
    assertThat(jvm.redefinitions).isEmpty();
    assertThat(registry.pendingFor(name.replace('.', '/'))).hasSize(1);
  }
}
