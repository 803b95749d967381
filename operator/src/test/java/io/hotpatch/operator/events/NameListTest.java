package io.hotpatch.operator.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class NameListTest {
  private static List<String> pods(int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("checkout-%04d", i)).toList();
  }

  @Test
  void spellsOutEveryNameOfAFew() {
    assertThat(NameList.brief(pods(10)))
        .startsWith("checkout-0000, checkout-0001")
        .endsWith("checkout-0008, checkout-0009");
  }

  @Test
  void countsWhatItLeavesOutOfMany() {
    String brief = NameList.brief(pods(10_000));

    assertThat(brief).endsWith("checkout-0009 and 9990 more").doesNotContain("checkout-0010");
    assertThat(brief.length()).isLessThan(200);
  }
}
