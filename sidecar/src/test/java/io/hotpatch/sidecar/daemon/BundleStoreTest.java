package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.testkit.HostileBundles;
import java.io.IOException;
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
  static final byte[] FIRST = HostileBundles.ofClass("shop/First", "First.java");
  static final byte[] SECOND = HostileBundles.ofClass("shop/Second", "Second.java");
  static final String FIRST_SHA = Sha256.hex(FIRST);
  static final String SECOND_SHA = Sha256.hex(SECOND);

  @TempDir Path dir;
  final Map<String, byte[]> served = new HashMap<>(Map.of(FIRST_SHA, FIRST, SECOND_SHA, SECOND));
  final List<String> fetched = new ArrayList<>();
  final BundleStore.Source source =
      sha -> {
        fetched.add(sha);
        byte[] bytes = served.get(sha);
        if (bytes == null) {
          throw new ChannelException(
              404, "not desired", "GET bundle " + sha + " answered HTTP 404: not desired");
        }
        return bytes;
      };

  @Test
  void stagesTheApplyOrdersInOrderAndFetchesEachOnce() throws IOException {
    BundleStore store = new BundleStore(dir.resolve("bundles"));
    DesiredState desired = desired(apply(FIRST_SHA), apply(SECOND_SHA));

    BundleStore.Staged staged = store.sync(desired, source);
    store.sync(desired, source);

    assertThat(names())
        .containsExactly("0001-" + FIRST_SHA + ".jar", "0002-" + SECOND_SHA + ".jar");
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
    assertThat(staged.problems().get(FIRST_SHA))
        .isEqualTo(
            "bundle of ns/fix refused: its bytes have sha256 "
                + SECOND_SHA
                + ", not the pinned "
                + FIRST_SHA
                + "; nothing was redefined: check the bundle"
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
    assertThat(staged.problems())
        .containsEntry(FIRST_SHA, "GET bundle " + FIRST_SHA + " answered HTTP 404: not desired");
    assertThat(staged.problems().get("ABC")).contains("pins 'ABC', not a lowercase hex sha256");
  }

  @Test
  void refusesBundlesThatAreNoBundleOrPatchTheJdkUnlessTheOrderAllowsIt() throws IOException {
    byte[] bomb = HostileBundles.zipBomb(64L << 20);
    byte[] jdk = HostileBundles.ofClass("java/lang/String", "String.java");
    served.putAll(Map.of(Sha256.hex(bomb), bomb, Sha256.hex(jdk), jdk));
    BundleStore store = new BundleStore(dir.resolve("bundles"));

    BundleStore.Staged staged =
        store.sync(desired(apply(Sha256.hex(bomb)), apply(Sha256.hex(jdk))), source);

    assertThat(staged.files()).isEmpty();
    assertThat(staged.problems().get(Sha256.hex(bomb)))
        .startsWith(
            "bundle of ns/fix refused: bundle entry"
                + " shop/PriceCalculator.class inflates past 4 MiB");
    assertThat(staged.refusals().get(Sha256.hex(jdk)))
        .startsWith("bundle patches java.lang.String, a class of" + " the JDK")
        .endsWith("; not applied, not staged");
    assertThat(names()).isEmpty();

    PatchOrder allowed = apply(Sha256.hex(jdk));
    allowed.setAllowJdkClasses(true);
    staged = store.sync(desired(allowed), source);

    assertThat(staged.refusals()).isEmpty();
    assertThat(names())
        .as("the startup agent applies JDK classes only from a *.jdk.jar")
        .containsExactly("0001-" + Sha256.hex(jdk) + ".jdk.jar");
    assertThat(store.sync(desired(apply(Sha256.hex(jdk))), source).refusals())
        .containsKey(Sha256.hex(jdk));
    assertThat(names()).as("withdrawn when the order no longer allows it").isEmpty();
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
