package io.hotpatch.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * The figures of each fleet size side by side, each the median of that size's runs, with how each
 * grew from the first size to the last.
 */
final class FleetTable {
  private static final double MIB = 1024 * 1024;

  private final List<List<FleetFigures>> runsBySize;

  FleetTable(List<List<FleetFigures>> runsBySize) {
    this.runsBySize = runsBySize;
  }

  void print(PrintStream out) {
    out.println();
    int runs = runsBySize.get(0).size();
    out.println(runs == 1 ? "one run per size" : "median of " + runs + " runs per size");
    header(out);
    row(out, "operator start to ready (ms)", f -> millis(f.operatorStart()));
    row(out, "sidecars connected (ms)", f -> millis(f.connect()));
    row(out, "operator CPU while they connect (ms)", f -> millis(f.connectCpu()));
    row(out, "sidecars + mock API CPU, same time (ms)", f -> millis(f.connectHarnessCpu()));
    row(out, "live heap, all sidecars waiting (MiB)", f -> f.liveHeapIdle() / MIB);
    row(out, "HotPatch created -> Ready (ms)", f -> millis(f.toReady()));
    row(out, "operator CPU, created -> Ready (ms)", f -> millis(f.rolloutCpu()));
    row(out, "operator CPU per pod patched (ms)", f -> millis(f.rolloutCpu()) / f.pods());
    row(out, "sidecars + mock API CPU, same cores (ms)", f -> millis(f.fleetCpu()));
    row(out, "status writes, created -> Ready", FleetFigures::statusWrites);
    row(out, "mock API time serving them (ms)", f -> millis(f.apiTime()));
    row(out, "pod LISTs, created -> Ready", FleetFigures::podLists);
    row(out, "single-pod GETs, created -> Ready", FleetFigures::podGets);
    row(out, "live heap after Ready (MiB)", f -> f.liveHeapAfter() / MIB);
    row(out, "peak RSS of the operator (MiB)", f -> f.peakRss() / MIB);
    row(
        out,
        "its memory limit, sized as README says (MiB)",
        f -> OperatorSizing.forPods(f.pods()).memoryLimitMiB());
    row(out, "HotPatch object when Ready (KiB)", f -> f.objectBytes() / 1024.0);
    row(out, "its status (KiB)", f -> f.statusBytes() / 1024.0);
    row(
        out,
        "operator killed -> every sidecar back (ms; -1: not within "
            + FleetRun.RECONNECT_WAIT.toSeconds()
            + " s)",
        f -> f.everySidecarBack() ? millis(f.reconnect()) : -1);
    row(out, "sidecars back by then", FleetFigures::sidecarsBack);
    row(out, "TLS handshakes it shed meanwhile (too late to serve)", FleetFigures::handshakesShed);
    row(out, "liveness probes failed in a row (-1: none passed)", f -> f.livenessFailuresInARow());
    row(
        out,
        "readiness probes failed in a row (-1: none passed)",
        f -> f.readinessFailuresInARow());
  }

  private void header(PrintStream out) {
    StringBuilder line = new StringBuilder(String.format("%-40s", "pods"));
    runsBySize.forEach(runs -> line.append(String.format("%12d", runs.get(0).pods())));
    if (runsBySize.size() > 1) {
      line.append(String.format("%10s", "growth"));
    }
    out.println(line);
  }

  private void row(PrintStream out, String label, ToDoubleFunction<FleetFigures> value) {
    StringBuilder line = new StringBuilder(String.format("%-40s", label));
    runsBySize.forEach(runs -> line.append(String.format("%12.1f", median(runs, value))));
    if (runsBySize.size() > 1) {
      double first = median(runsBySize.get(0), value);
      double last = median(runsBySize.get(runsBySize.size() - 1), value);
      line.append(first > 0 ? String.format("%9.1fx", last / first) : String.format("%10s", "-"));
    }
    out.println(line);
  }

  private static double median(List<FleetFigures> runs, ToDoubleFunction<FleetFigures> value) {
    double[] sorted = runs.stream().mapToDouble(value).sorted().toArray();
    int middle = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  }

  private static double millis(Duration duration) {
    return duration.toNanos() / 1e6;
  }
}
