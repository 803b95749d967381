package io.hotpatch.operator.reconciler;

import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.hotpatch.operator.api.v1alpha1.HotPatchStatus;
import io.hotpatch.operator.bundle.BundleLoader;
import io.hotpatch.operator.bundle.BundleLoader.LoadedBundle;
import io.hotpatch.operator.channel.ChannelLeadership;
import io.hotpatch.operator.channel.InformedPods;
import io.hotpatch.operator.channel.SidecarGateway;
import io.hotpatch.operator.config.OperatorSettings;
import io.hotpatch.operator.rollout.Problem;
import io.hotpatch.operator.rollout.Rollout;
import io.hotpatch.operator.rollout.RolloutOutcome;
import io.hotpatch.operator.rollout.TargetSelector;
import io.hotpatch.operator.status.StatusAggregator;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Controller that runs the reconcile loop for HotPatch resources. */
@ControllerConfiguration(name = "hotpatch")
public class HotPatchReconciler implements Reconciler<HotPatch>, Cleaner<HotPatch> {
  private final BundleLoader bundles;
  private final Rollout rollout;
  private final StatusAggregator aggregator;
  private final StatusPublisher publisher;
  private final DeletionHandler deletion;
  private final SidecarGateway gateway;
  private final ChannelLeadership leadership;
  private final OperatorSettings settings;
  private final TargetSelector selector;
  private final InformedPods informedPods;
  private final Clock clock;

  public HotPatchReconciler(
      BundleLoader bundles,
      Rollout rollout,
      StatusAggregator aggregator,
      StatusPublisher publisher,
      DeletionHandler deletion,
      SidecarGateway gateway,
      ChannelLeadership leadership,
      OperatorSettings settings,
      TargetSelector selector,
      InformedPods informedPods,
      Clock clock) {
    this.bundles = bundles;
    this.rollout = rollout;
    this.aggregator = aggregator;
    this.publisher = publisher;
    this.deletion = deletion;
    this.gateway = gateway;
    this.leadership = leadership;
    this.settings = settings;
    this.selector = selector;
    this.informedPods = informedPods;
    this.clock = clock;
  }

  @Override
  public UpdateControl<HotPatch> reconcile(HotPatch hotPatch, Context<HotPatch> context) {
    try {
      Instant now = clock.instant();
      Optional<Problem> invalid = SpecValidator.validate(hotPatch.getSpec());
      LoadedBundle bundle = invalid.isEmpty() ? bundles.load(hotPatch) : null;
      RolloutOutcome outcome =
          invalid
              .map(problem -> rollout.stalled(hotPatch, problem))
              .orElseGet(
                  () ->
                      bundle.ok()
                          ? rollout.advance(hotPatch, bundle.sha256(), bundle.bytes(), now)
                          : rollout.stalled(hotPatch, bundle.problem()));
      HotPatchStatus status = aggregator.aggregate(hotPatch, outcome, now);
      UpdateControl<HotPatch> control = publisher.publish(hotPatch, outcome, status);
      // Only a spec change (an event of its own) can cure a refused spec or bundle: back off until
      // resync.
      return invalid.isPresent() || bundle.refused()
          ? control.rescheduleAfter(settings.operator().resyncInterval())
          : control;
    } finally {
      leadership.reconciled(hotPatch);
    }
  }

  /**
   * Any reconcile failure lands in status as Degraded, not only in the log; JOSDK retries with
   * backoff.
   */
  @Override
  public ErrorStatusUpdateControl<HotPatch> updateErrorStatus(
      HotPatch hotPatch, Context<HotPatch> context, Exception e) {
    RolloutOutcome outcome = rollout.stalled(hotPatch, ReconcileError.problem(e));
    return publisher.publishError(
        hotPatch, aggregator.aggregate(hotPatch, outcome, clock.instant()));
  }

  @Override
  public DeleteControl cleanup(HotPatch hotPatch, Context<HotPatch> context) {
    try {
      return deletion.cleanup(hotPatch);
    } finally {
      leadership.reconciled(hotPatch);
    }
  }

  /** Pod changes and sidecar reports wake the HotPatches of the same namespace. */
  @Override
  public List<EventSource<?, HotPatch>> prepareEventSources(EventSourceContext<HotPatch> context) {
    var pods =
        new InformerEventSource<>(
            InformerEventSourceConfiguration.from(Pod.class, HotPatch.class)
                .withNamespacesInheritedFromController()
                .withLabelSelector(settings.operator().podLabelSelector().orElse(null))
                .withSecondaryToPrimaryMapper(
                    pod ->
                        context
                            .getPrimaryCache()
                            .list(pod.getMetadata().getNamespace())
                            .map(ResourceID::fromResource)
                            .collect(Collectors.toSet()))
                .build(),
            context);
    selector.readFrom(namespace -> pods.list(namespace));
    informedPods.readFrom((namespace, name) -> pods.get(new ResourceID(name, namespace)));
    leadership.watch(
        () -> context.getPrimaryCache().list(),
        key -> context.getPrimaryCache().get(new ResourceID(key.name(), key.namespace())));
    var reports = new SimpleInboundEventSource<HotPatch>("sidecar-reports");
    gateway.onReport(key -> reports.propagateEvent(new ResourceID(key.name(), key.namespace())));
    return List.of(pods, reports);
  }
}
