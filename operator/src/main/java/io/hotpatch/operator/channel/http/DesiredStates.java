package io.hotpatch.operator.channel.http;

import io.hotpatch.core.Sha256;
import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import io.hotpatch.operator.channel.DesiredPatch;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Turns a pod's desired patches into the channel's {@link DesiredState}. */
final class DesiredStates {
  private DesiredStates() {}

  /**
   * The revision is a digest of the orders, not a counter: it survives an operator restart, and the
   * same set always gets the same revision, so a sidecar never mistakes one set for another.
   */
  static DesiredState of(List<DesiredPatch> desired) {
    List<PatchOrder> orders = desired.stream().map(DesiredStates::order).toList();
    StringBuilder canonical = new StringBuilder();
    orders.forEach(
        o ->
            canonical
                .append(o.getPatch())
                .append(' ')
                .append(o.getUid())
                .append(' ')
                .append(o.getSha256())
                .append(' ')
                .append(o.getAction())
                .append(' ')
                .append(o.isHotAllowed())
                .append(o.isAllowJdkClasses() ? " jdk" : "")
                .append(o.getHealthCheck() == null ? "" : " " + o.getHealthCheck())
                .append('\n'));
    String revision =
        Sha256.hex(canonical.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return new DesiredState(revision, orders);
  }

  private static PatchOrder order(DesiredPatch desired) {
    PatchOrder order =
        new PatchOrder(
            desired.key().toString(),
            desired.uid(),
            desired.sha256(),
            PatchOrder.Action.valueOf(desired.action().name()),
            desired.hotAllowed());
    order.setAllowJdkClasses(desired.allowJdkClasses());
    order.setHealthCheck(desired.healthCheck());
    return order;
  }
}
