package io.hotpatch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mock API server's CRUD mode with server-side apply, which it otherwise refuses with 415 (the
 * operator's SSA is a build-time setting): the applied fields are laid over the stored object,
 * objects merged and lists replaced, and the result is stored with a PUT. That matches SSA with
 * force for what the operator sends, except that a field it stops sending is kept.
 */
final class ServerSideApplyDispatcher extends KubernetesMixedDispatcher {
  private static final String APPLY_PATCH = "application/apply-patch";
  private static final String STATUS = "/status";
  private final ObjectMapper json = Serialization.jsonMapper();
  private final AtomicLong applies = new AtomicLong();
  private final AtomicLong applyNanos = new AtomicLong();
  private final AtomicLong podLists = new AtomicLong();
  private final AtomicLong podGets = new AtomicLong();

  ServerSideApplyDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses) {
    super(responses);
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    countPodReads(request);
    String type = request.getHeader("Content-Type");
    if (!"PATCH".equals(request.getMethod()) || type == null || !type.startsWith(APPLY_PATCH)) {
      return super.dispatch(request);
    }
    long start = System.nanoTime();
    try {
      return apply(request);
    } finally {
      applies.incrementAndGet();
      applyNanos.addAndGet(System.nanoTime() - start);
    }
  }

  /**
   * Counts pod LISTs (not watches) and single-pod GETs: an operator reading its informer's cache
   * sends neither.
   */
  private void countPodReads(RecordedRequest request) {
    String path = request.getPath() == null ? "" : request.getPath();
    if (!"GET".equals(request.getMethod()) || path.contains("watch=true")) {
      return;
    }
    String resource = path.split("\\?", 2)[0];
    if (resource.matches("/api/v1(/namespaces/[^/]+)?/pods")) {
      podLists.incrementAndGet();
    } else if (resource.matches("/api/v1/namespaces/[^/]+/pods/[^/]+")) {
      podGets.incrementAndGet();
    }
  }

  long podLists() {
    return podLists.get();
  }

  long podGets() {
    return podGets.get();
  }

  /** Server-side applies served so far (the operator's status and finalizer writes). */
  long applies() {
    return applies.get();
  }

  /**
   * Time the mock server spent serving them; its CRUD store diffs every write, which grows with the
   * object.
   */
  Duration applyTime() {
    return Duration.ofNanos(applyNanos.get());
  }

  private MockResponse apply(RecordedRequest request) {
    String path = request.getPath().replaceFirst("\\?.*", "");
    String objectPath =
        path.endsWith(STATUS) ? path.substring(0, path.length() - STATUS.length()) : path;
    MockResponse stored =
        super.dispatch(
            new RecordedRequest(
                request.getHttpVersion(),
                HttpMethod.GET,
                objectPath,
                request.getHeaders(),
                new Buffer()));
    if (stored.code() != 200) {
      return stored;
    }
    try {
      ObjectNode merged = (ObjectNode) json.readTree(stored.getBody().readUtf8());
      overlay(merged, json.readTree(request.getUtf8Body()));
      ((ObjectNode) merged.get("metadata")).remove("resourceVersion"); // forced: no conflict check
      return super.dispatch(
          new RecordedRequest(
              request.getHttpVersion(),
              HttpMethod.PUT,
              path,
              request.getHeaders().newBuilder().set("Content-Type", "application/json").build(),
              new Buffer(json.writeValueAsBytes(merged))));
    } catch (IOException e) {
      throw new UncheckedIOException("server-side apply body is not JSON: " + e.getMessage(), e);
    }
  }

  /**
   * Lays {@code applied} over {@code target}: objects merge field by field, anything else replaces.
   */
  private static void overlay(ObjectNode target, JsonNode applied) {
    for (Iterator<Map.Entry<String, JsonNode>> fields = applied.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode current = target.get(field.getKey());
      if (current instanceof ObjectNode object && field.getValue().isObject()) {
        overlay(object, field.getValue());
      } else {
        target.set(field.getKey(), field.getValue());
      }
    }
  }
}
