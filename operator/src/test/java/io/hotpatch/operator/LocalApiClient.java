package io.hotpatch.operator;

import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/** A Fabric8 client for a test's own stand-in API server on plain HTTP, without retries. */
public final class LocalApiClient {
  private LocalApiClient() {}

  /** A client of {@code http://127.0.0.1:port}; each request may take up to a minute. */
  public static KubernetesClient at(int port) {
    return new KubernetesClientBuilder()
        .withConfig(
            new ConfigBuilder()
                .withMasterUrl("http://127.0.0.1:" + port)
                .withRequestTimeout(60_000)
                .withRequestRetryBackoffLimit(0)
                .build())
        .build();
  }
}
