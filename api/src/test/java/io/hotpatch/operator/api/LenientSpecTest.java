package io.hotpatch.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import org.junit.jupiter.api.Test;

/**
 * A spec the model cannot hold is read without failing and written back exactly as it was stored;
 * an unreadable status reads as none.
 */
class LenientSpecTest {
  private static final String SPEC =
      "{\"selector\": {\"matchLabels\": {\"app\": \"checkout\"}}, \"bundle\":"
          + " {\"configMapRef\": {\"name\": \"fix\"}, \"sha256\": \"abc\"}, \"strategy\": {\"mode\": \"Fast\","
          + " \"maxParallel\": 2}}";

  @Test
  void anUnreadableSpecNamesItsFieldAndSurvivesARoundTrip() {
    HotPatch hotPatch = Serialization.unmarshal(hotPatch(SPEC), HotPatch.class);

    assertThat(hotPatch.getSpec().getUnreadable())
        .isEqualTo("spec.strategy.mode is 'Fast': use one of Auto, HotOnly, RestartOnly");
    assertThat(hotPatch.getSpec().getSelector()).isNull();
    assertThat(specOf(Serialization.asJson(hotPatch))).isEqualTo(specOf(hotPatch(SPEC)));
    assertThat(Serialization.clone(hotPatch).getSpec().getUnreadable()).isNotNull();
  }

  @Test
  void aReadableSpecIsTheModel() {
    String spec = SPEC.replace("Fast", "HotOnly");
    HotPatch hotPatch = Serialization.unmarshal(hotPatch(spec), HotPatch.class);

    assertThat(hotPatch.getSpec().getUnreadable()).isNull();
    assertThat(hotPatch.getSpec().getSelector().getMatchLabels()).containsEntry("app", "checkout");
    assertThat(specOf(Serialization.asJson(hotPatch))).isEqualTo(specOf(hotPatch(spec)));
  }

  @Test
  void aStatusTheModelCannotHoldReadsAsNone() {
    String json =
        hotPatch(SPEC.replace("Fast", "Auto"))
            .replaceFirst(
                "}$",
                ", \"status\": {\"patched\": \"1/1\","
                    + " \"pods\": [{\"name\": \"checkout-a\", \"state\": \"BOGUS\"}]}}");

    HotPatch hotPatch = Serialization.unmarshal(json, HotPatch.class);

    assertThat(hotPatch.getStatus()).isNull();
    assertThat(hotPatch.getSpec().getUnreadable()).isNull();
  }

  private static String hotPatch(String spec) {
    return "{\"apiVersion\": \"hotpatch.io/v1alpha1\", \"kind\": \"HotPatch\", \"metadata\": {\"name\": \"fix\","
        + " \"namespace\": \"shop\"}, \"spec\": "
        + spec
        + "}";
  }

  private static JsonNode specOf(String json) {
    return Serialization.unmarshal(json, JsonNode.class).get("spec");
  }
}
