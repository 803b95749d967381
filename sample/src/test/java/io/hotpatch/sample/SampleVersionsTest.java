package io.hotpatch.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.ClassChange;
import io.hotpatch.core.ClassChangeClassifier;
import org.junit.jupiter.api.Test;

/** The sample versions differ exactly as the demo and tests rely on. */
class SampleVersionsTest {
  private static byte[] calculator(SampleVersion version) {
    return SampleBuilds.priceCalculator(version);
  }

  @Test
  void v2IsAHotApplicableMethodBodyFix() {
    ClassChange change =
        ClassChangeClassifier.classify(
            calculator(SampleVersion.V1_BUGGY), calculator(SampleVersion.V2_HOT_FIX));
    assertThat(change.isChanged()).isTrue();
    assertThat(change.isHotApplicable()).isTrue();
  }

  @Test
  void v3ChangesTheSchema() {
    ClassChange change =
        ClassChangeClassifier.classify(
            calculator(SampleVersion.V2_HOT_FIX), calculator(SampleVersion.V3_SCHEMA_CHANGE));
    assertThat(change.isHotApplicable()).isFalse();
    assertThat(change.getReasons())
        .contains("field added: java.lang.String ROUNDING", "method added: long vat(long)");
  }

  @Test
  void compilingTheSameSourcesTwiceGivesNoChange() {
    ClassChange change =
        ClassChangeClassifier.classify(
            calculator(SampleVersion.V1_BUGGY), calculator(SampleVersion.V1_BUGGY));
    assertThat(change.isChanged()).isFalse();
  }
}
