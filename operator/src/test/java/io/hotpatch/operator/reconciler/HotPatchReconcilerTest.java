package io.hotpatch.operator.reconciler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.TestBundles;
import io.hotpatch.operator.TestSettings;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchSpec;
import io.hotpatch.operator.api.v1alpha1.Reason;
import io.hotpatch.operator.bundle.BundleLoader;
import io.hotpatch.operator.bundle.BundleVerdicts;
import io.hotpatch.operator.channel.InMemorySidecarGateway;
import io.hotpatch.operator.channel.InformedPods;
import io.hotpatch.operator.channel.Leaderships;
import io.hotpatch.operator.channel.PodReport;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.rollout.EphemeralContainerAdder;
import io.hotpatch.operator.rollout.PodLedger;
import io.hotpatch.operator.rollout.PodMetrics;
import io.hotpatch.operator.rollout.RestartFallback;
import io.hotpatch.operator.rollout.Rollout;
import io.hotpatch.operator.rollout.TargetSelector;
import io.hotpatch.operator.rollout.UninjectedDelivery;
import io.hotpatch.operator.status.StatusAggregator;
import io.hotpatch.operator.webhook.WebhookSettings;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One reconcile at a time, called directly with a mocked Context: what it publishes to sidecars,
 * what status it asks for and when it asks to look again. No Quarkus, no operator loop.
 */
@EnableKubernetesMockClient(crud = true)
class HotPatchReconcilerTest {
  private static final String NS = "shop";

  /** The reconciler must not need the Context: every call on it fails the test. */
  @SuppressWarnings("unchecked")
  private static final Context<HotPatch> CONTEXT =
      (Context<HotPatch>)
          Proxy.newProxyInstance(
              HotPatchReconcilerTest.class.getClassLoader(),
              new Class<?>[] {Context.class},
              (proxy, method, args) -> {
                throw new AssertionError("reconcile called Context." + method.getName());
              });

  KubernetesClient client;
  private final List<Pod> pods = new ArrayList<>();
  private final InMemorySidecarGateway sidecars = new InMemorySidecarGateway();
  private OperatorSettings settings;
  private HotPatchReconciler reconciler;

  @BeforeEach
  void buildTheReconcilerByHand() {
    settings = TestSettings.with(Map.of());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    TargetSelector selector = new TargetSelector();
    selector.readFrom(
        namespace -> pods.stream().filter(p -> namespace.equals(p.getMetadata().getNamespace())));
    PodLedger ledger = new PodLedger();
    HotPatchEvents events = new HotPatchEvents(client);
    HotPatchMetrics metrics = new HotPatchMetrics(registry);
    Rollout rollout =
        new Rollout(
            selector,
            sidecars,
            new RestartFallback(client),
            ledger,
            new PodMetrics(registry),
            new UninjectedDelivery(
                new EphemeralContainerAdder(client),
                new WebhookSettings(settings, Optional.of("hotpatch-system")),
                settings));
    reconciler =
        new HotPatchReconciler(
            new BundleLoader(client, new BundleVerdicts(), settings),
            rollout,
            new StatusAggregator(settings),
            new StatusPublisher(events, metrics, settings),
            new DeletionHandler(selector, sidecars, events, settings, ledger),
            sidecars,
            Leaderships.unelected(),
            settings,
            selector,
            new InformedPods(),
            Clock.systemUTC());
  }

  @Test
  void anInvalidSpecIsDegradedAndLookedAtAgainOnlyAtResync() {
    HotPatch hotPatch = hotPatch("fix", "not-a-sha", spec -> spec.setSelector(null));

    UpdateControl<HotPatch> control = reconciler.reconcile(hotPatch, CONTEXT);

    assertThat(control.isPatchStatus()).isTrue();
    assertThat(condition(hotPatch, "Degraded"))
        .satisfies(c -> assertThat(c.getStatus()).isEqualTo("True"))
        .satisfies(c -> assertThat(c.getReason()).isEqualTo(Reason.InvalidSpec.name()));
    assertThat(control.getScheduleDelay())
        .contains(settings.operator().resyncInterval().toMillis());
    assertThat(sidecars.desiredFor(pod("checkout-1").getMetadata().getUid())).isEmpty();
  }

  @Test
  void aMissingBundleIsDegradedWithTheConfigMapNamed() {
    pod("checkout-1");
    HotPatch hotPatch = hotPatch("fix", "a".repeat(64), spec -> {});

    UpdateControl<HotPatch> control = reconciler.reconcile(hotPatch, CONTEXT);

    assertThat(condition(hotPatch, "Degraded").getReason()).isEqualTo(Reason.BundleNotFound.name());
    assertThat(condition(hotPatch, "Degraded").getMessage()).contains("ConfigMap shop/fix-bundle");
    assertThat(control.isPatchStatus()).isTrue();
  }

  @Test
  void aGoodBundleIsOrderedToItsPodThenReadyOnceTheSidecarReportsIt() {
    Pod pod = pod("checkout-1");
    String sha = OperatorTestSupport.storeBundle(client, NS, "fix-bundle", TestBundles.priceFix(1));
    HotPatch hotPatch = hotPatch("fix", sha, spec -> {});

    UpdateControl<HotPatch> first = reconciler.reconcile(hotPatch, CONTEXT);

    assertThat(sidecars.desiredFor(pod.getMetadata().getUid()))
        .singleElement()
        .satisfies(desired -> assertThat(desired.sha256()).isEqualTo(sha));
    assertThat(condition(hotPatch, "Progressing").getReason())
        .isEqualTo(Reason.WaveInProgress.name());
    assertThat(first.getScheduleDelay()).contains(settings.operator().pollInterval().toMillis());

    sidecars.accept(
        pod.getMetadata().getUid(),
        Rollout.keyOf(hotPatch),
        new PodReport(
            sha,
            ResultState.APPLIED,
            PatchMethod.HOT,
            "applied",
            Instant.now().minus(Duration.ofHours(1))));
    UpdateControl<HotPatch> second = reconciler.reconcile(hotPatch, CONTEXT);

    assertThat(second.isPatchStatus()).isTrue();
    assertThat(condition(hotPatch, "Ready").getReason()).isEqualTo(Reason.AllPodsPatched.name());
    assertThat(hotPatch.getStatus().getPatched()).isEqualTo("1/1");
    assertThat(reconciler.reconcile(hotPatch, CONTEXT).isNoUpdate())
        .as("nothing changed: no status write")
        .isTrue();
  }

  private Pod pod(String name) {
    Pod pod = OperatorTestSupport.newPod(NS, name, OperatorTestSupport.APP, null, Map.of());
    pods.add(pod);
    return pod;
  }

  /**
   * As the API server would hand it to the reconciler: with a uid, a generation and a creation
   * time.
   */
  private static HotPatch hotPatch(String name, String sha256, Consumer<HotPatchSpec> customize) {
    HotPatch hotPatch = OperatorTestSupport.newHotPatch(NS, name, sha256, customize);
    hotPatch.getMetadata().setUid(UUID.randomUUID().toString());
    hotPatch.getMetadata().setGeneration(1L);
    hotPatch.getMetadata().setCreationTimestamp(Instant.now().toString());
    return hotPatch;
  }

  private static Condition condition(HotPatch hotPatch, String type) {
    return hotPatch.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no condition " + type + " in " + hotPatch.getStatus()));
  }
}
