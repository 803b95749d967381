package io.hotpatch.operator.rollout;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.api.v1alpha1.HotPatch;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The restart annotation: stable per generation, valid as a key, tied to the HotPatch uid. */
class RestartAnnotationTest {

  @Test
  void valueDerivesFromUidAndGenerationSoTheSameGenerationRepeatsIt() {
    HotPatch generation3 = hotPatch("fix-price", "uid-1", 3);

    assertThat(RestartAnnotation.key(generation3)).isEqualTo("restart.hotpatch.io/fix-price");
    assertThat(RestartAnnotation.value(generation3)).isEqualTo("uid-1.3");
    String value = RestartAnnotation.value(generation3);
    assertThat(RestartAnnotation.value(hotPatch("fix-price", "uid-1", 3))).isEqualTo(value);
    assertThat(RestartAnnotation.value(hotPatch("fix-price", "uid-1", 4))).isNotEqualTo(value);
  }

  @Test
  void longNamesAreShortenedToAValidAnnotationKey() {
    String name = "a".repeat(100);

    String key = RestartAnnotation.key(hotPatch(name, "uid-1", 1));

    assertThat(key.substring("restart.hotpatch.io/".length())).hasSize(63).matches("[a-z0-9-]+");
    assertThat(RestartAnnotation.key(hotPatch(name + "b", "uid-1", 1))).isNotEqualTo(key);
  }

  @Test
  void podsOfATemplateRolledForThisHotPatchAreRecognisedWhateverTheGeneration() {
    HotPatch hotPatch = hotPatch("fix", "uid-1", 5);

    assertThat(RestartAnnotation.marks(Map.of("restart.hotpatch.io/fix", "uid-1.2"), hotPatch))
        .isTrue();
    assertThat(RestartAnnotation.marks(Map.of("restart.hotpatch.io/fix", "uid-0.5"), hotPatch))
        .as("a HotPatch of the same name deleted and recreated")
        .isFalse();
    assertThat(RestartAnnotation.marks(null, hotPatch)).isFalse();
  }

  private static HotPatch hotPatch(String name, String uid, long generation) {
    HotPatch hotPatch = new HotPatch();
    hotPatch.getMetadata().setName(name);
    hotPatch.getMetadata().setUid(uid);
    hotPatch.getMetadata().setGeneration(generation);
    return hotPatch;
  }
}
