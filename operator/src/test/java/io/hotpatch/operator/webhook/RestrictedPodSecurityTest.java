package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The test's restricted-standard checker catches each rule it claims to check. */
class RestrictedPodSecurityTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void compliantContainerPasses() throws Exception {
    assertThat(check(GOOD)).isEmpty();
  }

  @Test
  void eachRuleIsEnforced() throws Exception {
    assertThat(
            check(
                GOOD.replace(
                    "\"allowPrivilegeEscalation\":false", "\"allowPrivilegeEscalation\":true")))
        .containsExactly("container c: allowPrivilegeEscalation is not false");
    assertThat(
            check(
                GOOD.replace(
                    "\"drop\":[\"ALL\"]", "\"drop\":[\"NET_RAW\"],\"add\":[\"SYS_ADMIN\"]")))
        .containsExactly(
            "container c: capabilities do not drop ALL", "container c: adds capability SYS_ADMIN");
    assertThat(
            check(
                GOOD.replace(
                    "\"runAsNonRoot\":true", "\"runAsNonRoot\":false,\"privileged\":true")))
        .containsExactly("container c: privileged", "container c: runAsNonRoot is not true");
    assertThat(check(GOOD.replace("\"runAsUser\":1000", "\"runAsUser\":0")))
        .containsExactly("container c: runAsUser is 0");
    assertThat(check(GOOD.replace("RuntimeDefault", "Unconfined")))
        .containsExactly("container c: seccompProfile is not RuntimeDefault or Localhost");
    assertThat(
            check(
                GOOD.replace("\"ports\":[]", "\"ports\":[{\"containerPort\":80,\"hostPort\":80}]")))
        .containsExactly("container c: uses hostPort 80");
    assertThat(
            RestrictedPodSecurity.violations(
                pod(GOOD, "{\"name\":\"h\",\"hostPath\":{\"path\":\"/\"}}"), List.of("c")))
        .containsExactly("volume h: type hostPath is not allowed");
  }

  private static final String GOOD =
      "{\"name\":\"c\",\"ports\":[],\"securityContext\":{\"runAsUser\":1000,"
          + "\"runAsNonRoot\":true,\"allowPrivilegeEscalation\":false,\"capabilities\":{\"drop\":[\"ALL\"]},"
          + "\"seccompProfile\":{\"type\":\"RuntimeDefault\"}}}";

  private static List<String> check(String container) throws Exception {
    return RestrictedPodSecurity.violations(
        pod(container, "{\"name\":\"ok\",\"emptyDir\":{}}"), List.of("c"));
  }

  private static JsonNode pod(String container, String volume) throws Exception {
    return MAPPER.readTree(
        "{\"spec\":{\"containers\":[" + container + "],\"volumes\":[" + volume + "]}}");
  }
}
