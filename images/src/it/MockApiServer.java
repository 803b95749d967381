package io.hotpatch.images;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.io.File;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * A Kubernetes API stand-in (Fabric8 mock server, CRUD mode, plain HTTP) for scripts/test-images.sh:
 * lets the operator image start for real without a cluster. Args: port, then CRD files to create
 * (the operator checks its CRD at start). Runs until killed. Launched as a single source file with
 * the operator's test class path, so it lives outside src/test: this module has no test dependencies.
 */
public final class MockApiServer {
  /** Leader election first asks whether it may use Leases; CRUD mode cannot answer that itself. */
  private static final String LEASE_RULES = "{\"apiVersion\":\"authorization.k8s.io/v1\","
      + "\"kind\":\"SelfSubjectRulesReview\",\"status\":{\"incomplete\":false,\"nonResourceRules\":[],"
      + "\"resourceRules\":[{\"apiGroups\":[\"coordination.k8s.io\"],\"resources\":[\"leases\"],"
      + "\"verbs\":[\"get\",\"list\",\"watch\",\"create\",\"update\",\"patch\"]}]}}";

  private MockApiServer() {}

  public static void main(String[] args) throws Exception {
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(),
        expectations, new KubernetesMixedDispatcher(expectations), false);
    server.init(InetAddress.getLoopbackAddress(), Integer.parseInt(args[0]));
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, LEASE_RULES).always();
    try (KubernetesClient client = server.createClient()) {
      for (int i = 1; i < args.length; i++) {
        client.apiextensions().v1().customResourceDefinitions().load(new File(args[i])).create();
      }
    }
    System.out.println("mock Kubernetes API at http://127.0.0.1:" + server.getPort());
    Thread.currentThread().join();
  }
}
