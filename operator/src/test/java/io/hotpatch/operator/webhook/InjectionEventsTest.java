package io.hotpatch.operator.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.hotpatch.operator.CrudApiServer;
import io.hotpatch.operator.api.v1alpha1.Reason;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook notes become Events counted on one Event per note, written at a bounded rate. */
class InjectionEventsTest {
  private static final String NOTE =
      "JAVA_TOOL_OPTIONS is left unchanged because it is set through valueFrom";
  private KubernetesMockServer api;
  private KubernetesClient client;
  private InjectionEvents events;

  @BeforeEach
  void start() {
    api = CrudApiServer.start();
    client = api.createClient();
    events = new InjectionEvents(client, 5);
    events.close(); // the test flushes by hand
  }

  @AfterEach
  void stop() {
    client.close();
    api.destroy();
  }

  @Test
  void fiveHundredIdenticalNotesAreOneEventWithCountFiveHundred() {
    for (int i = 0; i < 500; i++) {
      events.record(new AdmissionHandler.Notice("shop", "checkout-7d9f8c-", true, NOTE));
    }
    events.flush();
    events.record(new AdmissionHandler.Notice("shop", "checkout-7d9f8c-", true, NOTE));
    events.flush();

    List<Event> written = client.v1().events().inNamespace("shop").list().getItems();
    assertThat(written)
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getCount()).isEqualTo(501);
              assertThat(event.getReason()).isEqualTo(Reason.HotpatchInjectedWithNote.name());
              assertThat(event.getType()).isEqualTo("Warning");
              assertThat(event.getMessage()).isEqualTo(NOTE);
              assertThat(event.getInvolvedObject().getName()).isEqualTo("checkout-7d9f8c-");
            });
  }

  @Test
  void twoThousandDistinctNotesWriteAtMostTheRatePerSecondAndHoldAtMostTheBoundInMemory() {
    for (int i = 0; i < 2000; i++) {
      events.record(new AdmissionHandler.Notice("ns-" + i, "pod-" + i, false, NOTE));
    }
    int before = api.getRequestCount();
    events.flush(); // one second's worth
    int requests = api.getRequestCount() - before;

    assertThat(requests).as("one create per new Event").isEqualTo(5);
    assertThat(client.v1().events().inAnyNamespace().list().getItems()).hasSize(5);
    for (int second = 0; second < InjectionEvents.MAX_PENDING / 5; second++) {
      events.flush();
    }
    assertThat(client.v1().events().inAnyNamespace().list().getItems())
        .as("the rest was dropped")
        .hasSize(InjectionEvents.MAX_PENDING);
  }
}
