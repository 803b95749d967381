package io.hotpatch.operator.channel.http;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import io.hotpatch.operator.OperatorTestSupport;
import io.hotpatch.operator.channel.TargetPod;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Fixtures for channel tests: TokenReviews in the mock API, pods whose sidecar the test plays, the
 * log.
 */
public abstract class ChannelTestSupport extends OperatorTestSupport {
  @KubernetesTestServer protected KubernetesServer apiServer;

  @TestHTTPResource(value = "/", tls = true)
  protected URI https;

  /** The management interface, the only plain HTTP listener (health and metrics). */
  @TestHTTPResource(value = "/", management = true)
  protected URI management;

  @Inject protected DesiredStateBroadcaster broadcaster;

  protected SidecarClient sidecar;

  /** Warnings the channel logged during the test. */
  protected final List<String> channelLog = new CopyOnWriteArrayList<>();

  private final Handler logCapture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          channelLog.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void channel() {
    TokenReviews.install(apiServer);
    sidecar = new SidecarClient(https);
    Logger.getLogger(ChannelErrors.class.getName()).addHandler(logCapture);
  }

  @AfterEach
  void closeChannel() {
    Logger.getLogger(ChannelErrors.class.getName()).removeHandler(logCapture);
    sidecar.close();
  }

  /**
   * A running pod whose sidecar is the test itself (the simulated one stays silent), with its pod
   * IP.
   */
  protected Pod sidecarPod(String name, Map<String, String> labels, String podIp) {
    return sidecarPod(name, labels, podIp, null);
  }

  /** The same, for a pod of a workload (owner: its ReplicaSet, StatefulSet...). */
  protected Pod sidecarPod(
      String name, Map<String, String> labels, String podIp, OwnerReference owner) {
    sidecars.behave(namespace, name).silent();
    Pod pod = pod(namespace, name, labels, owner, Map.of());
    pod.getStatus().setPodIP(podIp);
    return client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /** Awaitility for real processes on a busy machine. */
  protected static ConditionFactory slow() {
    return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200));
  }

  protected static TargetPod ref(Pod pod) {
    return new TargetPod(
        pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(),
        pod.getMetadata().getUid(),
        null);
  }

  /** What a sidecar posts after its JVM applied the patch live. */
  protected static PodReport applied(String patch, String sha256) {
    PodReport report = new PodReport();
    report.setPid(4242);
    report.setJvmVersion("17.0.15");
    report.setJvmStartMillis(Instant.now().minusSeconds(60).toEpochMilli());
    report.setOutcomes(
        List.of(
            new PatchOutcome(
                patch, "", sha256, ResultState.APPLIED, PatchMethod.HOT, "redefined 1 class")));
    return report;
  }
}
