package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Results and requests survive the trip through the Properties text the agent and attacher
 * exchange.
 */
class WireFormatTest {
  @Test
  void patchResultSurvivesTheTripThroughASystemProperty() {
    PatchResult sent =
        new PatchResult(
            "apply",
            ResultState.NOT_HOT_APPLICABLE,
            "ab12",
            "2 classes refused",
            true,
            Arrays.asList(
                new ClassResult(
                    "shop.Price",
                    "app",
                    ResultState.NOT_HOT_APPLICABLE,
                    "field added: int x\nand = more"),
                new ClassResult("shop.Tax$1", "", ResultState.APPLIED, "")));
    PatchResult received =
        PatchResult.fromProperties(WireFormat.decode(WireFormat.encode(sent.toProperties())));
    assertThat(received).usingRecursiveComparison().isEqualTo(sent);
  }

  @Test
  void requestSurvivesTheAgentArgumentString() {
    AgentRequest sent =
        new AgentRequest(
            AgentRequest.Operation.APPLY, "/tmp/a b&c=d.jar", "", "", "hotpatch.reply.7");
    AgentRequest received = AgentRequest.decode(sent.encode());
    assertThat(received).usingRecursiveComparison().isEqualTo(sent);
  }

  @Test
  void requestWithoutReplyKeyIsRefused() {
    assertThatThrownBy(() -> AgentRequest.decode("op=status")).hasMessageContaining("no reply key");
  }
}
