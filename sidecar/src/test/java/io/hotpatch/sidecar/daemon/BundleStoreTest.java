package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The startup bundle directory: numbered in apply order, verified, fetched once, pruned. */
class BundleStoreTest {
  static final byte[] FIRST = "first bundle".getBytes(StandardCharsets.UTF_8);
  static final byte[] SECOND = "second bundle".getBytes(StandardCharsets.UTF_8);
  static final String FIRST_SHA = Sha256.hex(FIRST);
  static final String SECOND_SHA = Sha256.hex(SECOND);

  @TempDir Path dir;
  final Map<String, byte[]> served = new HashMap<>(Map.of(FIRST_SHA, FIRST, SECOND_SHA, SECOND));
  final List<String> fetched = new ArrayList<>();
  final BundleStore.Source source = sha -> {
    fetched.add(sha);
    byte[] bytes = served.get(sha);
    if (bytes == null) {
      throw new ChannelException(404, "not desired", "GET bundle " + sha + " answered HTTP 404: not desired");
    }
    return bytes;
  };

  @Test
  void stagesTheApplyOrdersInOrderAndFetchesEachOnce() throws IOException {
    BundleStore store = new BundleStore(dir.resolve("bundles"));
    DesiredState desired = desired(apply(FIRST_SHA), apply(SECOND_SHA));

    BundleStore.Staged staged = store.sync(desired, source);
    store.sync(desired, source);

    assertThat(names()).containsExactly("0001-" + FIRST_SHA + ".jar", "0002-" + SECOND_SHA + ".jar");
    assertThat(staged.files().get(SECOND_SHA)).hasBinaryContent(SECOND);
    assertThat(staged.problems()).isEmpty();
    assertThat(fetched).containsExactly(FIRST_SHA, SECOND_SHA);
  }

  @Test
  void renumbersWhenTheOrderChangesAndRemovesWhatIsNoLongerApplied() throws IOException {
    BundleStore store = new BundleStore(dir.resolve("bundles"));
    store.sync(desired(apply(FIRST_SHA), apply(SECOND_SHA)), source);
    Files.writeString(dir.resolve("bundles/notes.txt"), "not ours");

    store.sync(desired(revert(FIRST_SHA), apply(SECOND_SHA)), source);

    assertThat(names()).containsExactly("0001-" + SECOND_SHA + ".jar", "notes.txt");
    assertThat(fetched).containsExactly(FIRST_SHA, SECOND_SHA);
  }

  @Test
  void refusesBytesThatDoNotMatchThePinAndDoesNotRetry() throws IOException {
    served.put(FIRST_SHA, SECOND);
    BundleStore store = new BundleStore(dir.resolve("bundles"));

    BundleStore.Staged staged = store.sync(desired(apply(FIRST_SHA)), source);

    assertThat(staged.files()).isEmpty();
    assertThat(staged.retry()).isFalse();
    assertThat(staged.problems().get(FIRST_SHA)).isEqualTo("bundle of ns/fix refused: its bytes have sha256 "
        + SECOND_SHA + ", not the pinned " + FIRST_SHA + "; nothing was redefined: check the bundle"
        + " ConfigMap and spec.bundle.sha256");
    assertThat(names()).isEmpty();
  }

  @Test
  void aChannelFailureIsRetriedAndABadPinIsNamed() throws IOException {
    served.remove(FIRST_SHA);
    BundleStore store = new BundleStore(dir.resolve("bundles"));

    BundleStore.Staged staged = store.sync(desired(apply(FIRST_SHA), apply("ABC")), source);

    assertThat(staged.retry()).isTrue();
    assertThat(staged.unfetched()).containsExactly(FIRST_SHA);
    assertThat(staged.problems()).containsEntry(FIRST_SHA, "GET bundle " + FIRST_SHA + " answered HTTP 404: not desired");
    assertThat(staged.problems().get("ABC")).contains("pins 'ABC', not a lowercase hex sha256");
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("bundles"))) {
      return files.map(file -> file.getFileName().toString()).sorted().toList();
    }
  }

  static PatchOrder apply(String sha) {
    return new PatchOrder("ns/fix", "uid-1", sha, PatchOrder.Action.APPLY, true);
  }

  static PatchOrder revert(String sha) {
    return new PatchOrder("ns/fix", "uid-1", sha, PatchOrder.Action.REVERT, true);
  }

  static DesiredState desired(PatchOrder... orders) {
    return new DesiredState("1", List.of(orders));
  }
}
