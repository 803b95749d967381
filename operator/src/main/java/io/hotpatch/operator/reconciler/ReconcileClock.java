package io.hotpatch.operator.reconciler;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The clock a reconcile reads its "now" from: the system's, which a test may move past a soak. */
@Singleton
public class ReconcileClock {
  @Produces
  @ApplicationScoped
  Clock clock() {
    return Clock.systemUTC();
  }
}
