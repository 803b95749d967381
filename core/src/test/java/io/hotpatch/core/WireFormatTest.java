package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class WireFormatTest {
  @Test
  void patchResultSurvivesTheTripThroughASystemProperty() {
    PatchResult sent = new PatchResult("apply", ResultState.NOT_HOT_APPLICABLE, "ab12", "2 classes refused", true,
        Arrays.asList(
            new ClassResult("shop.Price", "app", ResultState.NOT_HOT_APPLICABLE, "field added: int x\nand = more"),
            new ClassResult("shop.Tax$1", "", ResultState.APPLIED, "")));
    PatchResult received = PatchResult.fromProperties(WireFormat.decode(WireFormat.encode(sent.toProperties())));
    assertThat(received).usingRecursiveComparison().isEqualTo(sent);
  }

  @Test
  void statusSurvivesTheTrip() {
    AgentStatus sent = new AgentStatus("17.0.15", "Debian", true, 1234L,
        Collections.singletonList(new AppliedPatch("ab12", 99L, PatchMethod.STARTUP, Arrays.asList("a.B", "a.C"))));
    AgentStatus received = AgentStatus.fromProperties(WireFormat.decode(WireFormat.encode(sent.toProperties())));
    assertThat(received).usingRecursiveComparison().isEqualTo(sent);
  }

  @Test
  void requestSurvivesTheAgentArgumentString() {
    AgentRequest sent = new AgentRequest(AgentRequest.Operation.APPLY, "/tmp/a b&c=d.jar", "", "", "hotpatch.reply.7");
    AgentRequest received = AgentRequest.decode(sent.encode());
    assertThat(received).usingRecursiveComparison().isEqualTo(sent);
  }

  @Test
  void requestWithoutReplyKeyIsRefused() {
    assertThatThrownBy(() -> AgentRequest.decode("op=status")).hasMessageContaining("no reply key");
  }
}
