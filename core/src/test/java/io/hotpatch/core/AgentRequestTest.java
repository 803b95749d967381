package io.hotpatch.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The agent argument string: escaping, unknown operations and the reply key. */
class AgentRequestTest {
  @Test
  void survivesEncodingWithPathsThatNeedEscaping() {
    AgentRequest request =
        new AgentRequest(
            AgentRequest.Operation.APPLY, "/tmp/a b&c=d.jar", "ab12", null, "hotpatch.reply.42");

    AgentRequest decoded = AgentRequest.decode(request.encode());

    assertThat(decoded.getOperation()).isEqualTo(AgentRequest.Operation.APPLY);
    assertThat(decoded.getBundlePath()).isEqualTo("/tmp/a b&c=d.jar");
    assertThat(decoded.getExpectedSha256()).isEqualTo("ab12");
    assertThat(decoded.getPatchId()).isEmpty();
    assertThat(decoded.getReplyKey()).isEqualTo("hotpatch.reply.42");
  }

  @Test
  void carriesTheJdkClassesOptInOnlyWhenGiven() {
    AgentRequest allowing =
        new AgentRequest(
            AgentRequest.Operation.APPLY, "/tmp/b.jar", "ab12", null, "hotpatch.reply.42", true);

    assertThat(AgentRequest.decode(allowing.encode()).isAllowJdkClasses()).isTrue();
    assertThat(
            AgentRequest.decode("op=apply&bundle=%2Ftmp%2Fb.jar&reply=hotpatch.reply.1")
                .isAllowJdkClasses())
        .as("an attacher that does not say refuses JDK classes")
        .isFalse();
    assertThat(AgentRequest.decode("op=apply&jdk=yes&reply=hotpatch.reply.1").isAllowJdkClasses())
        .isFalse();
  }

  @Test
  void namesTheValidOperationsForAnUnknownOne() {
    assertThatThrownBy(() -> AgentRequest.decode("op=frobnicate&reply=hotpatch.reply.1"))
        .hasMessage("unknown agent operation 'frobnicate': use check, apply, revert or status");
  }

  @Test
  void findsTheReplyKeyEvenWhenTheRestIsUnusable() {
    assertThat(AgentRequest.replyKeyOf("op=frobnicate&reply=hotpatch.reply.7"))
        .isEqualTo("hotpatch.reply.7");
    assertThat(AgentRequest.replyKeyOf("reply=java.home")).isNull();
    assertThat(AgentRequest.replyKeyOf("reply=hotpatch.reply.")).isNull();
    assertThat(AgentRequest.replyKeyOf(null)).isNull();
  }
}
