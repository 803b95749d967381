package io.hotpatch.operator;

import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.util.HashMap;

/** The Fabric8 mock API server in CRUD mode, for tests of one class that talks to an API server. */
public final class CrudApiServer {
  private CrudApiServer() {}

  /** A started server; the caller destroys it. */
  public static KubernetesMockServer start() {
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(),
            new MockWebServer(),
            new HashMap<>(),
            new KubernetesCrudDispatcher(),
            false);
    api.init();
    return api;
  }
}
