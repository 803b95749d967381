package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionReview;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Thousands of random AdmissionReview bodies (random JSON, golden pods with fields deleted, retyped
 * or made huge, truncated text) through the endpoint's entry: no exception escapes, the answer is
 * always a valid allowing AdmissionReview with the request's uid, and any patch applies to the pod.
 */
class AdmissionFuzzTest {
  private static final long SEED = 0x5EED_2026L;
  private static final int ROUNDS = 3000;
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] KEYS = {
    "request",
    "uid",
    "object",
    "operation",
    "namespace",
    "kind",
    "metadata",
    "spec",
    "containers",
    "initContainers",
    "env",
    "name",
    "value",
    "valueFrom",
    "labels",
    "annotations",
    "securityContext",
    "runAsUser",
    "runAsGroup",
    "hostNetwork",
    "volumes",
    "volumeMounts",
    "dryRun",
    "hotpatch.io/inject",
    "hotpatch.io/container",
    "envFrom",
    "mountPath",
    "subResource"
  };

  /** Held so the level sticks: hundreds of "not JSON" warnings would bury the build output. */
  private static final Logger HANDLER_LOG = Logger.getLogger(AdmissionHandler.class.getName());

  private static Level savedLevel;

  private final Random random = new Random(SEED);
  private final AdmissionHandler handler = new AdmissionHandler();
  private final InjectionSettings settings = Reviews.settings();

  @BeforeAll
  static void quietHandler() {
    savedLevel = HANDLER_LOG.getLevel();
    HANDLER_LOG.setLevel(Level.SEVERE);
  }

  @AfterAll
  static void restoreHandlerLogging() {
    HANDLER_LOG.setLevel(savedLevel);
  }

  @Test
  void randomBodiesAlwaysGetAValidAllowingAnswer() throws Exception {
    List<JsonNode> pods = goldenPods();
    int patched = 0;
    for (int round = 0; round < ROUNDS; round++) {
      String body =
          switch (round % 4) {
            case 0 -> randomValue(0).toString();
            case 1, 2 -> mutatedRequest(pods.get(random.nextInt(pods.size())), round).toString();
            default ->
                truncated(
                    Reviews.request("u" + round, "CREATE", pods.get(random.nextInt(pods.size())))
                        .toString());
          };
      try {
        patched += check(body) ? 1 : 0;
      } catch (AssertionError | RuntimeException e) {
        fail("round %d (seed %d) failed on body %s", round, SEED, abbreviate(body), e);
      }
    }
    // Without this the rounds could all be trivial rejections.
    assertThat(patched).as("answers that carried a patch").isGreaterThan(ROUNDS / 10);
  }

  /** Checks one answer; true when it carried a patch. */
  private boolean check(String body) throws Exception {
    AdmissionReview review = handler.handle(body, settings).review();
    assertThat(review.getApiVersion()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.getKind()).isEqualTo("AdmissionReview");
    AdmissionResponse response = review.getResponse();
    assertThat(response.getAllowed()).isTrue();
    JsonNode request = parse(body).path("request");
    assertThat(response.getUid())
        .isEqualTo(request.path("uid").isTextual() ? request.path("uid").textValue() : "");
    assertThat(
            Reviews.MAPPER
                .readTree(AdmissionHandler.toJson(review))
                .path("response")
                .path("allowed")
                .asBoolean())
        .isTrue();
    JsonNode pod = request.path("object");
    if (pod.isObject()) {
      try {
        new PodInjector(settings).inject("CREATE", "shop", pod);
      } catch (MalformedPodException expected) {
        // The only way the injector may refuse a pod.
      }
    }
    if (response.getPatch() == null) {
      assertThat(response.getPatchType()).isNull();
      return false;
    }
    assertThat(response.getPatchType()).isEqualTo("JSONPatch");
    ArrayNode patch = Reviews.patch(response);
    assertThat(patch).isNotEmpty();
    Reviews.apply(patch, pod);
    return true;
  }

  private ObjectNode mutatedRequest(JsonNode pod, int round) {
    ObjectNode request =
        Reviews.request(
            "uid-" + round, random.nextInt(10) == 0 ? "UPDATE" : "CREATE", pod.deepCopy());
    int mutations = random.nextInt(4);
    for (int i = 0; i < mutations; i++) {
      mutate(request);
    }
    return request;
  }

  /** Deletes, retypes, nulls or inflates one random field anywhere in the tree. */
  private void mutate(ObjectNode root) {
    List<ContainerNode<?>> parents = new ArrayList<>();
    collect(root, parents);
    ContainerNode<?> parent = parents.get(random.nextInt(parents.size()));
    if (parent.isEmpty()) {
      return;
    }
    JsonNode replacement =
        switch (random.nextInt(5)) {
          case 0 -> null;
          case 1 -> NODES.nullNode();
          case 2 ->
              NODES.textNode(
                  random.nextInt(20) == 0 ? "x".repeat(1 << 18) : "y".repeat(random.nextInt(300)));
          default -> randomValue(3);
        };
    if (parent instanceof ObjectNode object) {
      List<String> names = new ArrayList<>();
      object.fieldNames().forEachRemaining(names::add);
      String name = names.get(random.nextInt(names.size()));
      if (replacement == null) {
        object.remove(name);
      } else {
        object.set(name, replacement);
      }
    } else {
      ArrayNode array = (ArrayNode) parent;
      int index = random.nextInt(array.size());
      if (replacement == null) {
        array.remove(index);
      } else {
        array.set(index, replacement);
      }
    }
  }

  private static void collect(JsonNode node, List<ContainerNode<?>> into) {
    if (node instanceof ContainerNode<?> container) {
      into.add(container);
      node.forEach(child -> collect(child, into));
    }
  }

  private JsonNode randomValue(int depth) {
    int kind = random.nextInt(depth > 4 ? 6 : 8);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 ->
          NODES.numberNode(
              random.nextInt(5) == 0 ? random.nextDouble() * 1e300 : random.nextLong());
      case 3 -> NODES.textNode(random.nextBoolean() ? "true" : randomText());
      case 4 -> NODES.numberNode(random.nextInt(3) - 1);
      case 5 -> NODES.textNode(random.nextBoolean() ? "CREATE" : "Pod");
      case 6 -> {
        ArrayNode array = NODES.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
          array.add(randomValue(depth + 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        for (int i = random.nextInt(5); i > 0; i--) {
          object.set(
              random.nextInt(4) == 0 ? randomText() : KEYS[random.nextInt(KEYS.length)],
              randomValue(depth + 1));
        }
        yield object;
      }
    };
  }

  private String randomText() {
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(12); i > 0; i--) {
      text.append((char) random.nextInt(0x3000));
    }
    return text.toString();
  }

  private String truncated(String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return new String(bytes, 0, random.nextInt(bytes.length), StandardCharsets.UTF_8);
  }

  private static JsonNode parse(String body) {
    try {
      return Reviews.MAPPER.readTree(body);
    } catch (Exception e) {
      return NODES.missingNode();
    }
  }

  private static List<JsonNode> goldenPods() throws Exception {
    try (Stream<Path> files =
        Files.walk(Path.of("src", "test", "resources", "webhook", "golden"))) {
      List<JsonNode> pods = new ArrayList<>();
      for (Path file :
          files.filter(f -> f.getFileName().toString().equals("pod.json")).sorted().toList()) {
        pods.add(Reviews.MAPPER.readTree(file.toFile()));
      }
      return pods;
    }
  }

  private static String abbreviate(String body) {
    return body.length() > 2000
        ? body.substring(0, 2000) + "... (" + body.length() + " chars)"
        : body;
  }
}
