package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.hotpatch.bench.Fleet;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.PodPatchStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The same bundle ordered by HotPatches the JVMs did not apply it for: two at once, then, once both
 * are deleted (onDelete Keep), one created again under another name, across an operator restart.
 * The built operator, the mock API and sidecars running the real daemon code; every JVM already
 * runs the patch, so each newcomer is Ready with ALREADY_APPLIED and no JVM is redefined twice.
 */
class RecreatedHotPatchIT {
  private static final Path WORK = Path.of("target", "hostile-it", "recreated").toAbsolutePath();
  private static final int PODS = 3;
  private static final Duration READY = Duration.ofSeconds(90);

  @Test
  void hotPatchesSharingOrRecreatedWithABundleTheJvmsRunGoReadyAcrossAnOperatorRestart()
      throws Exception {
    try (Fleet fleet =
        Fleet.quiet(Fleet.Settings.local(PODS, Duration.ofMillis(50), "100%", WORK))) {
      fleet.startOperator();
      fleet.connectSidecars();
      fleet.createHotPatch("hp-a");
      fleet.createHotPatch("hp-b");
      HotPatch a = fleet.awaitReady("hp-a", READY);
      HotPatch b = fleet.awaitReady("hp-b", READY);

      Map<String, List<ResultState>> statesByPod =
          List.of(a, b).stream()
              .flatMap(hp -> hp.getStatus().getPods().stream())
              .collect(
                  Collectors.groupingBy(
                      PodPatchStatus::getName,
                      Collectors.mapping(PodPatchStatus::getState, Collectors.toList())));
      assertThat(statesByPod)
          .hasSize(PODS)
          .allSatisfy(
              (pod, states) ->
                  assertThat(states)
                      .as(pod)
                      .containsExactlyInAnyOrder(ResultState.APPLIED, ResultState.ALREADY_APPLIED));
      assertThat(fleet.appliesPerJvm()).as("redefinitions per JVM, two HotPatches").containsOnly(1);

      for (String name : List.of("hp-a", "hp-b")) {
        fleet
            .client()
            .resources(HotPatch.class)
            .inNamespace(Fleet.NAMESPACE)
            .withName(name)
            .delete();
        Fleet.await(READY, () -> fleet.hotPatch(name) == null, () -> name + " still exists");
      }
      fleet.createHotPatch("hp-second");
      Fleet.await(
          READY,
          () -> admitted(fleet.hotPatch("hp-second")) == PODS,
          () -> "hp-second has not reached its pods: " + fleet.hotPatch("hp-second").getStatus());
      fleet.killOperator();
      fleet.startOperator();
      HotPatch second = fleet.awaitReady("hp-second", READY);

      assertThat(second.getStatus().getPods())
          .extracting(PodPatchStatus::getState, PodPatchStatus::getMethod)
          .containsOnly(tuple(ResultState.ALREADY_APPLIED, "Hot"));
      assertThat(fleet.appliesPerJvm())
          .as("redefinitions per JVM, after the re-created one")
          .containsOnly(1);
      System.out.printf(
          "hp-a and hp-b share one bundle: both Ready (%s, %s); hp-second, created after both were"
              + " deleted, Ready across an operator restart (%s); applies per JVM %s%n",
          a.getStatus().getPatched(),
          b.getStatus().getPatched(),
          second.getStatus().getPatched(),
          fleet.appliesPerJvm());
    }
  }

  private static int admitted(HotPatch hotPatch) {
    return hotPatch == null || hotPatch.getStatus() == null
        ? 0
        : hotPatch.getStatus().getPods().size();
  }
}
