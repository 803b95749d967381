package io.hotpatch.sidecar.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.sun.net.httpserver.HttpServer;
import io.hotpatch.core.PatchMethod;
import io.hotpatch.core.PatchedClass;
import io.hotpatch.core.ResultState;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.HealthProbe;
import io.hotpatch.core.channel.HealthState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.core.channel.PatchOutcome;
import io.hotpatch.core.channel.PodReport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The sidecar's health watch: a GET at once after the apply and every period, FAILING below the
 * threshold and FAILED at it, FAILED when the patch left the JVM or the JVM exited, nothing when
 * the order carries no check; the real GET stays on the loopback and within its timeout.
 */
class HealthWatchTest {
  private static final String SHA = "a".repeat(64);
  private static final long PID = 42;
  private static final long PERIOD = TimeUnit.SECONDS.toNanos(5);

  final TestingAgent agent = new TestingAgent();
  final Deque<Object> answers = new ArrayDeque<>();
  final List<String> urls = new ArrayList<>();
  final HealthWatch watch =
      new HealthWatch(
          agent,
          new LoopbackGet(
              "127.0.0.1",
              (url, timeout) -> {
                urls.add(url + " " + timeout);
                Object answer = answers.isEmpty() ? 200 : answers.pop();
                if (answer instanceof IOException e) {
                  throw e;
                }
                return (Integer) answer;
              }));

  @Test
  void aPassingCheckMarksTheAppliedPatchAtOnce() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);

    PodReport report = watch.track(PID, desired(probe(3)), applied(), 0);

    assertThat(report.getOutcomes())
        .extracting(PatchOutcome::getHealth, PatchOutcome::getHealthMessage)
        .containsExactly(
            tuple(HealthState.PASSING, "GET http://127.0.0.1:8080/price?cents=1999 answered 200"));
    assertThat(urls).containsExactly("http://127.0.0.1:8080/price?cents=1999 1000");
    assertThat(watch.millisUntilDue(0, 60_000)).isEqualTo(5_000);
    assertThat(watch.check(PERIOD - 1)).isFalse();
    assertThat(urls).hasSize(1);
  }

  @Test
  void failuresInARowFailTheCheckAtItsThresholdAndItStaysFailed() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);
    answers.add(500);
    answers.add(new IOException("java.net.ConnectException: Connection refused"));

    PodReport first = watch.track(PID, desired(probe(2)), applied(), 0);
    assertThat(first.getOutcomes().get(0).getHealth()).isEqualTo(HealthState.FAILING);
    assertThat(first.getOutcomes().get(0).getHealthMessage())
        .isEqualTo(
            "GET http://127.0.0.1:8080/price?cents=1999 answered 500, expected 200 1 time in a row, failing at 2");
    assertThat(watch.check(PERIOD)).isTrue();
    assertThat(watch.mark(applied()).getOutcomes().get(0).getHealthMessage())
        .isEqualTo(
            "GET"
                + " http://127.0.0.1:8080/price?cents=1999 failed (java.io.IOException: java.net.ConnectException: Connection"
                + " refused) 2 times in a row (failureThreshold 2)");
    assertThat(watch.mark(applied()).getOutcomes().get(0).getHealth())
        .isEqualTo(HealthState.FAILED);

    assertThat(watch.check(2 * PERIOD)).as("a failed check is final").isFalse();
    assertThat(urls).hasSize(2);
    assertThat(watch.millisUntilDue(2 * PERIOD, 60_000)).isEqualTo(60_000);
  }

  @Test
  void aPassBetweenFailuresStartsTheCountAgain() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);
    answers.add(500);
    answers.add(200);
    answers.add(500);

    watch.track(PID, desired(probe(2)), applied(), 0);
    watch.check(PERIOD);
    watch.check(2 * PERIOD);

    assertThat(watch.mark(applied()).getOutcomes().get(0).getHealth())
        .isEqualTo(HealthState.FAILING);
  }

  @Test
  void aPatchThatLeftTheJvmFailsWithoutAnHttpCheck() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);
    watch.track(PID, desired(probe(3)), applied(), 0);
    assertThat(agent.calls).as("the converge pass just read the status").isEmpty();
    agent.active.clear(); // reverted behind the operator's back

    assertThat(watch.check(PERIOD)).isTrue();

    assertThat(watch.mark(applied()).getOutcomes())
        .extracting(PatchOutcome::getHealth, PatchOutcome::getHealthMessage)
        .containsExactly(
            tuple(
                HealthState.FAILED,
                "patch aaaaaaaaaaaa is no longer active in JVM pid 42 (reverted"
                    + " outside the operator?)"));
    assertThat(agent.calls).containsExactly("status 42");
    assertThat(urls).hasSize(1);
  }

  @Test
  void ordersWithoutACheckAndPatchesNotRunningAreNotWatched() {
    agent.activate(SHA, PatchMethod.HOT, PatchedClass.State.PATCHED);
    PodReport refused = applied();
    refused.getOutcomes().get(0).setState(ResultState.PRECONDITION_FAILED);

    assertThat(watch.track(PID, desired(null), applied(), 0).getOutcomes().get(0).getHealth())
        .isNull();
    assertThat(watch.track(PID, desired(probe(3)), refused, 0).getOutcomes().get(0).getHealth())
        .isNull();
    assertThat(urls).isEmpty();

    watch.track(PID, desired(probe(3)), applied(), 0);
    PodReport dropped = watch.track(PID, desired(null), applied(), PERIOD);
    assertThat(dropped.getOutcomes().get(0).getHealth())
        .as("the wave is done: the check is dropped")
        .isNull();
    assertThat(watch.check(10 * PERIOD)).isFalse();
    assertThat(urls).hasSize(1);
  }

  @Test
  void aJvmThatExitedFailsEveryPatchItRan() {
    PodReport report = applied();
    report
        .getOutcomes()
        .add(new PatchOutcome("ns/other", "uid-2", "b".repeat(64), ResultState.REVERTED, null, ""));

    PodReport ended = HealthWatch.jvmEnded(report, PID);

    assertThat(ended.getMessage()).isEqualTo("JVM pid 42 ended");
    assertThat(ended.getOutcomes())
        .extracting(PatchOutcome::getState, PatchOutcome::getHealth, PatchOutcome::getHealthMessage)
        .containsExactly(
            tuple(
                ResultState.APPLIED,
                HealthState.FAILED,
                "the JVM (pid 42) running the patch exited"),
            tuple(ResultState.REVERTED, null, ""));
    assertThat(report.getOutcomes().get(0).getHealth()).as("the original stays as it was").isNull();
  }

  @Test
  void theRealGetAnswersTheStatusAndGivesUpAtItsTimeout() throws Exception {
    HttpServer app =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    app.createContext(
        "/broken",
        exchange -> {
          exchange.sendResponseHeaders(500, -1);
          exchange.close();
        });
    app.createContext(
        "/stuck",
        exchange -> {
          try {
            Thread.sleep(5_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    app.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    app.start();
    try {
      LoopbackGet get = LoopbackGet.fromEnv(Map.of());
      int port = app.getAddress().getPort();
      assertThat(get.status(new HealthProbe("/broken", port, 200, 1, 1, 1))).isEqualTo(500);
      long start = System.nanoTime();
      assertThatThrownBy(() -> get.status(new HealthProbe("/stuck", port, 200, 1, 1, 1)))
          .isInstanceOf(java.net.SocketTimeoutException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(4_000);
    } finally {
      app.stop(0);
    }
  }

  @Test
  void theCheckNeverLeavesThePod() {
    assertThatThrownBy(() -> LoopbackGet.fromEnv(Map.of("HOTPATCH_HEALTH_HOST", "10.0.0.1")))
        .hasMessage(
            "HOTPATCH_HEALTH_HOST=10.0.0.1 is not a loopback IP address: unset it for 127.0.0.1, the pod's"
                + " own loopback");
    assertThatThrownBy(() -> LoopbackGet.fromEnv(Map.of("HOTPATCH_HEALTH_HOST", "localhost")))
        .hasMessageStartingWith("HOTPATCH_HEALTH_HOST=localhost is not a loopback IP address");
    assertThat(new LoopbackGet("::1", null).url(new HealthProbe("/h", 80, 200, 1, 1, 1)))
        .isEqualTo("http://[::1]:80/h");
  }

  private static HealthProbe probe(int threshold) {
    return new HealthProbe("/price?cents=1999", 8080, 200, threshold, 5, 1);
  }

  private static DesiredState desired(HealthProbe probe) {
    PatchOrder order = new PatchOrder("ns/fix", "uid-1", SHA, PatchOrder.Action.APPLY, true);
    order.setHealthCheck(probe);
    return new DesiredState("1", List.of(order));
  }

  private static PodReport applied() {
    PodReport report = new PodReport();
    report.setPid(PID);
    report
        .getOutcomes()
        .add(new PatchOutcome("ns/fix", "uid-1", SHA, ResultState.APPLIED, PatchMethod.HOT, ""));
    return report;
  }
}
