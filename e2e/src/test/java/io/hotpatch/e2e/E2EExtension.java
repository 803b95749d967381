package io.hotpatch.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Lifecycle of an e2e test class: the shared cluster (started by the first class), a fresh
 * namespace opted in to injection for each class, and a dump of the cluster when anything fails.
 */
final class E2EExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        TestWatcher,
        LifecycleMethodExecutionExceptionHandler {
  static final String INJECTION_LABEL = "hotpatch.io/injection";
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(E2EExtension.class);

  private K3sCluster cluster;
  private String namespace;
  private Path workDir;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    Awaitility.reset();
    Awaitility.setDefaultTimeout(Duration.ofMinutes(4));
    Awaitility.setDefaultPollInterval(Duration.ofSeconds(1));
    Awaitility.ignoreExceptionsByDefault();
    cluster =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(K3sCluster.class, key -> K3sCluster.start(), K3sCluster.class);
    namespace = "e2e-" + context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT);
    client()
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .addToLabels(INJECTION_LABEL, "enabled")
                .endMetadata()
                .build())
        .create();
    workDir = Files.createTempDirectory("hotpatch-" + namespace);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (cluster != null && namespace != null) {
      client().namespaces().withName(namespace).delete();
    }
    namespace = null;
  }

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    dump();
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable throwable)
      throws Throwable {
    dump();
    throw throwable;
  }

  private void dump() {
    if (cluster != null && namespace != null) {
      FailureDump.namespace(client(), namespace);
      FailureDump.namespace(client(), K3sCluster.OPERATOR_NAMESPACE);
    }
  }

  K3sCluster cluster() {
    return cluster;
  }

  KubernetesClient client() {
    return cluster.client();
  }

  /** This test class's namespace (labelled {@value #INJECTION_LABEL}=enabled). */
  String namespace() {
    return namespace;
  }

  /** A scratch directory for this test class's jars and bundles. */
  Path workDir() {
    return workDir;
  }
}
