package io.hotpatch.operator.channel;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.operator.api.v1alpha1.HotPatch;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Only a leader that has republished every HotPatch's desired state answers sidecars. */
class ChannelLeadershipTest {
  final HotPatch first = hotPatch("uid-1");
  final HotPatch second = hotPatch("uid-2");

  @Test
  void aFollowerRefusesAndALeaderWaitsForEveryHotPatchToBeRepublished() {
    ChannelLeadership leadership = new ChannelLeadership(true);
    leadership.watch(() -> List.of(first, second).stream(), key -> Optional.empty());

    assertThat(leadership.refusal())
        .hasValueSatisfying(
            why ->
                assertThat(why)
                    .startsWith("this replica is not the" + " leader: retry on a new connection"));
    leadership.reconciled(
        first); // a follower does not reconcile; a stray call must not count later

    leadership.startedLeading();
    assertThat(leadership.refusal())
        .hasValue(
            "this replica leads but has not republished the desired state of 2"
                + " HotPatch(es) yet: retry in a second");
    leadership.reconciled(first);
    assertThat(leadership.refusal())
        .hasValueSatisfying(why -> assertThat(why).contains("of 1 HotPatch(es)"));
    leadership.reconciled(second);
    assertThat(leadership.refusal()).isEmpty();

    leadership.stoppedLeading();
    assertThat(leadership.refusal())
        .hasValueSatisfying(why -> assertThat(why).contains("not the leader"));
  }

  @Test
  void aHotPatchCreatedAfterTheLeadOrDeletedMeanwhileHoldsNothingUp() {
    List<HotPatch> cached = new java.util.ArrayList<>(List.of(first));
    ChannelLeadership leadership = new ChannelLeadership(true);
    leadership.watch(() -> List.copyOf(cached).stream(), key -> Optional.empty());

    leadership.startedLeading();
    cached.add(second); // created after the lead was taken: no other leader published it
    assertThat(leadership.refusal())
        .hasValueSatisfying(why -> assertThat(why).contains("of 1 HotPatch(es)"));
    cached.remove(first); // deleted before its first reconcile here
    assertThat(leadership.refusal()).isEmpty();
  }

  @Test
  void servesTheCachedHotPatchOfAKeyOnlyAsItsOwnIncarnation() {
    ChannelLeadership leadership = new ChannelLeadership(false);
    PatchKey key = new PatchKey("shop", "fix");
    leadership.watch(
        () -> List.of(first).stream(),
        asked -> asked.equals(key) ? Optional.of(first) : Optional.empty());

    assertThat(leadership.serves(key, "uid-1")).isTrue();
    assertThat(leadership.serves(key, "uid-2")).as("deleted and created again").isFalse();
    assertThat(leadership.serves(new PatchKey("shop", "other"), "uid-1")).isFalse();
  }

  @Test
  void withoutLeaderElectionTheProcessServesAtOnce() {
    assertThat(new ChannelLeadership(false).refusal()).isEmpty();
  }

  private static HotPatch hotPatch(String uid) {
    HotPatch hotPatch = new HotPatch();
    hotPatch.getMetadata().setName(uid);
    hotPatch.getMetadata().setNamespace("ns");
    hotPatch.getMetadata().setUid(uid);
    return hotPatch;
  }
}
