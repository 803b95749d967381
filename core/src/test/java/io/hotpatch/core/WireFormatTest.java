package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
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
  void encodingWritesTheLinesPropertiesStoreWritesInKeyOrderWithoutTheDateComment()
      throws IOException {
    Properties tricky = new Properties();
    tricky.setProperty("plain", "value");
    tricky.setProperty("a key: with=all #the !marks\\", " leading space, then = : # ! \\ inside ");
    tricky.setProperty("controls", "tab\tnewline\nreturn\rfeed\fbell\u0007");
    tricky.setProperty("non-ascii", "prix \u20ac \u00e9t\u00e9 \ud83d\ude00");
    tricky.setProperty("empty", "");
    tricky.setProperty(" ", "=");
    StringWriter stored = new StringWriter();
    tricky.store(stored, null);
    List<String> storedLines = new ArrayList<>(Arrays.asList(stored.toString().split("\n")));
    storedLines.removeIf(line -> line.startsWith("#"));

    String encoded = WireFormat.encode(tricky);

    assertThat(encoded.split("\n")).containsExactlyInAnyOrderElementsOf(storedLines);
    assertThat(Arrays.stream(encoded.split("\n")).map(WireFormatTest::keyOf)).isSorted();
    assertThat(WireFormat.decode(encoded)).isEqualTo(tricky);
  }

  @Test
  void requestSurvivesTheAgentArgumentString() {
    AgentRequest sent =
        new AgentRequest(
            AgentRequest.Operation.APPLY, "/tmp/a b&c=d.jar", "", "", "hotpatch.reply.7");
    AgentRequest received = AgentRequest.decode(sent.encode());
    assertThat(received).usingRecursiveComparison().isEqualTo(sent);
  }

  private static String keyOf(String line) {
    return WireFormat.decode(line).stringPropertyNames().iterator().next();
  }

  @Test
  void requestWithoutReplyKeyIsRefused() {
    assertThatThrownBy(() -> AgentRequest.decode("op=status")).hasMessageContaining("no reply key");
  }
}
