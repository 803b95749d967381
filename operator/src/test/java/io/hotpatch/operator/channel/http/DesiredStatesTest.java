package io.hotpatch.operator.channel.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.operator.channel.DesiredPatch;
import io.hotpatch.operator.channel.PatchKey;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The revision identifies the set of orders: same set, same revision; any change, a new one. */
class DesiredStatesTest {
  private static final String SHA_1 = "1".repeat(64);
  private static final String SHA_2 = "2".repeat(64);

  @Test
  void theSameOrdersGetTheSameRevisionAcrossCalls() {
    DesiredState first = DesiredStates.of(List.of(apply("fix", SHA_1)));
    DesiredState again = DesiredStates.of(List.of(apply("fix", SHA_1)));

    assertThat(again.getRevision()).isEqualTo(first.getRevision());
    assertThat(first.getPatches())
        .singleElement()
        .satisfies(
            order -> {
              assertThat(order.getPatch()).isEqualTo("shop/fix");
              assertThat(order.getSha256()).isEqualTo(SHA_1);
              assertThat(order.getAction()).isEqualTo(PatchOrder.Action.APPLY);
            });
  }

  @Test
  void theJdkClassesOptInReachesTheOrder() {
    DesiredState state =
        DesiredStates.of(
            List.of(
                apply("fix", SHA_1),
                new DesiredPatch(
                    new PatchKey("shop", "jdk"),
                    "uid-1",
                    SHA_2,
                    new byte[0],
                    DesiredPatch.Action.APPLY,
                    true,
                    true)));

    assertThat(state.getPatches())
        .extracting(PatchOrder::isAllowJdkClasses)
        .containsExactly(false, true);
  }

  @Test
  void everyChangeOfTheOrdersChangesTheRevision() {
    List<String> revisions =
        List.of(
                DesiredStates.of(List.of()),
                DesiredStates.of(List.of(apply("fix", SHA_1))),
                DesiredStates.of(List.of(apply("fix", SHA_2))),
                DesiredStates.of(
                    List.of(
                        new DesiredPatch(
                            new PatchKey("shop", "fix"),
                            "uid-1",
                            SHA_2,
                            null,
                            DesiredPatch.Action.REVERT,
                            true))),
                DesiredStates.of(
                    List.of(
                        new DesiredPatch(
                            new PatchKey("shop", "fix"),
                            "uid-1",
                            SHA_2,
                            new byte[0],
                            DesiredPatch.Action.APPLY,
                            false))),
                DesiredStates.of(
                    List.of(
                        new DesiredPatch(
                            new PatchKey("shop", "fix"),
                            "uid-1",
                            SHA_2,
                            new byte[0],
                            DesiredPatch.Action.APPLY,
                            true,
                            true))),
                DesiredStates.of(List.of(apply("fix", SHA_1), apply("other", SHA_2))),
                DesiredStates.of(List.of(apply("other", SHA_2), apply("fix", SHA_1))))
            .stream()
            .map(DesiredState::getRevision)
            .toList();

    assertThat(revisions).doesNotHaveDuplicates();
  }

  private static DesiredPatch apply(String name, String sha) {
    return new DesiredPatch(
        new PatchKey("shop", name), "uid-1", sha, new byte[0], DesiredPatch.Action.APPLY, true);
  }
}
