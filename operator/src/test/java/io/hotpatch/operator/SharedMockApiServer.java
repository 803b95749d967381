package io.hotpatch.operator;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import java.util.Map;

/**
 * Quarkus's mock API server resource with its defaults (CRUD mode, plain HTTP), started from {@link
 * OperatorOnMockApi}: Quarkus hands a configurable resource the annotation that declares it, and
 * the stock resource takes only its own {@code @WithKubernetesTestServer}.
 */
public final class SharedMockApiServer implements QuarkusTestResourceLifecycleManager {
  private final KubernetesServerTestResource server = new KubernetesServerTestResource();

  @Override
  public Map<String, String> start() {
    return server.start();
  }

  @Override
  public void inject(TestInjector testInjector) {
    server.inject(testInjector);
  }

  @Override
  public void stop() {
    server.stop();
  }
}
