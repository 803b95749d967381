package io.hotpatch.operator.reconciler;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.javaoperatorsdk.operator.health.InformerHealthIndicator;
import io.javaoperatorsdk.operator.health.InformerWrappingEventSourceHealthIndicator;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Liveness DOWN once an informer of a started operator has stopped: the Fabric8 informer does not
 * restart itself after a fatal watch error, so only a container restart brings the operator back.
 * (The SDK's own check is a readiness check, which takes the pod out of the Service but never
 * restarts it.)
 */
@Liveness
@ApplicationScoped
public class InformerLiveness implements HealthCheck {
  static final String NAME = "HotPatch operator informers";

  private final Operator operator;

  public InformerLiveness(Operator operator) {
    this.operator = operator;
  }

  @Override
  public HealthCheckResponse call() {
    if (!operator.getRuntimeInfo().isStarted()) {
      return HealthCheckResponse.up(NAME); // still starting: the startup probe covers this time
    }
    List<String> stopped = new ArrayList<>();
    for (RegisteredController<?> controller :
        operator.getRuntimeInfo().getRegisteredControllers()) {
      @SuppressWarnings("unchecked") // JOSDK declares the map with a raw type
      Map<String, InformerWrappingEventSourceHealthIndicator<?>> sources =
          (Map<String, InformerWrappingEventSourceHealthIndicator<?>>)
              (Map<?, ?>)
                  controller.getControllerHealthInfo().informerEventSourceHealthIndicators();
      stopped.addAll(stopped(controller.getConfiguration().getName(), sources));
    }
    return HealthCheckResponse.named(NAME)
        .status(stopped.isEmpty())
        .withData("stopped", stopped.isEmpty() ? "none" : String.join(", ", stopped))
        .build();
  }

  /** The informers, as {@code controller/event source/namespace}, that no longer run. */
  static List<String> stopped(
      String controller,
      Map<String, ? extends InformerWrappingEventSourceHealthIndicator<?>> eventSources) {
    List<String> stopped = new ArrayList<>();
    eventSources.forEach(
        (source, indicator) -> {
          Map<String, InformerHealthIndicator> informers = indicator.informerHealthIndicators();
          informers.forEach(
              (namespace, informer) -> {
                if (!informer.isRunning()) {
                  stopped.add(controller + "/" + source + "/" + namespace);
                }
              });
        });
    return stopped;
  }
}
