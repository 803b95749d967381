package io.hotpatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.ClassResult;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import java.lang.instrument.ClassDefinition;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

/** The resident agent's warm-up: the whole dry-run path once, and nothing changed. */
class WarmUpTest {
  private final TestingJvm jvm = new TestingJvm().load(StartupNotice.class);
  private final PatchRegistry registry = new PatchRegistry();
  private final PatchEngine engine = new PatchEngine(jvm, registry);

  @Test
  void dryRunsAChangedHotApplicableVersionOfItsSubject() {
    PatchResult result = WarmUp.run(engine, jvm);

    assertThat(result.getState()).isEqualTo(ResultState.APPLIED);
    assertThat(result.isDryRun()).isTrue();
    assertThat(result.getMessage()).startsWith("would apply");
    assertThat(result.getClasses())
        .extracting(ClassResult::getClassName, ClassResult::getState, ClassResult::getMessage)
        .containsExactly(
            Tuple.tuple(StartupNotice.class.getName(), ResultState.APPLIED, "hot-applicable"));
  }

  @Test
  void registersNothingAndRedefinesItsSubjectOnlyWithItsOwnBytes() {
    WarmUp.run(engine, jvm);

    assertThat(registry.patches()).isEmpty();
    assertThat(jvm.defined).isEmpty();
    assertThat(jvm.redefinitions).hasSize(1);
    ClassDefinition only = jvm.redefinitions.get(0).get(0);
    assertThat(jvm.redefinitions.get(0)).hasSize(1);
    assertThat(only.getDefinitionClass()).isEqualTo(StartupNotice.class);
    assertThat(only.getDefinitionClassFile()).isEqualTo(ClassFiles.of(StartupNotice.class));
  }

  @Test
  void givesUpQuietlyWhenItsSubjectHasNoClassFile() {
    TestingJvm withoutFiles = new TestingJvm();

    assertThat(WarmUp.run(new PatchEngine(withoutFiles, registry), withoutFiles)).isNull();
    assertThat(withoutFiles.redefinitions).isEmpty();
  }
}
