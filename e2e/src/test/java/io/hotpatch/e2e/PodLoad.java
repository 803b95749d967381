package io.hotpatch.e2e;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.LocalPortForward;
import io.hotpatch.sample.LoadGenerator;
import io.hotpatch.sample.LoadStats;
import io.hotpatch.sample.SampleVersion;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Steady load on every pod at once, each through its own port-forward (the sample listens on
 * loopback only, so a Service cannot reach it): a patch that disturbs any pod shows up as a
 * failure.
 */
final class PodLoad implements AutoCloseable {
  private static final int THREADS_PER_POD = 2;

  private final List<LocalPortForward> forwards = new ArrayList<>();
  private final Map<String, LoadGenerator> loads = new LinkedHashMap<>();

  private PodLoad() {}

  static PodLoad start(KubernetesClient client, String namespace, List<String> pods) {
    PodLoad load = new PodLoad();
    try {
      for (String pod : pods) {
        LocalPortForward forward =
            client.pods().inNamespace(namespace).withName(pod).portForward(SampleService.PORT);
        load.forwards.add(forward);
        URI uri =
            URI.create("http://127.0.0.1:" + forward.getLocalPort() + SampleVersion.PRICE_PATH);
        load.loads.put(pod, LoadGenerator.start(uri, THREADS_PER_POD));
      }
    } catch (RuntimeException e) {
      load.close();
      throw e;
    }
    return load;
  }

  /** Waits until every pod has served {@code count} more requests. */
  void awaitRequests(int count) {
    loads.values().forEach(l -> l.awaitRequests(count));
  }

  /** Stops the load and returns each pod's figures. */
  Map<String, LoadStats> stop() {
    Map<String, LoadStats> stats = new LinkedHashMap<>();
    loads.forEach((pod, load) -> stats.put(pod, load.stop()));
    close();
    return stats;
  }

  @Override
  public void close() {
    loads.values().forEach(LoadGenerator::close);
    for (LocalPortForward forward : forwards) {
      try {
        forward.close();
      } catch (IOException e) {
        // The forward dies with the test; nothing to clean up beyond the attempt.
      }
    }
    forwards.clear();
  }
}
