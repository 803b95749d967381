package io.hotpatch.sidecar.daemon;

import io.hotpatch.core.channel.DesiredState;
import io.hotpatch.core.channel.PatchOrder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * The init step's gate ({@code --install-agent} with the channel settings): stages the pod's
 * startup bundles before any app container starts, so a restarted JVM gets even the patches a live
 * JVM refuses. Bounded: when the operator does not answer, or has not published the HotPatches the
 * pod was restarted for, within the wait, the pod starts anyway (fail open) and {@code
 * $HOTPATCH_DIR/startup-missing} says why, for the daemon to report.
 */
final class StartupStager {
  static final String MISSING_FILE = "startup-missing";
  static final int DEFAULT_WAIT_SECONDS = 20;
  static final int MAX_WAIT_SECONDS = 300;
  static final int MAX_EXPECTED = 32;
  private static final Pattern UID = Pattern.compile("[0-9a-zA-Z-]{1,64}");
  private static final Duration RETRY = Duration.ofSeconds(1);

  /**
   * @param maxWait how long the app may be held (HOTPATCH_STARTUP_WAIT_SECONDS; zero: do not stage)
   * @param expected uids of the HotPatches whose restart fallback created this pod
   *     (HOTPATCH_STARTUP_PATCHES): staging waits until the operator publishes each of them
   */
  record Settings(Duration maxWait, Set<String> expected) {
    static Settings fromEnv(Map<String, String> env) throws SidecarConfig.Invalid {
      String waitText = env.getOrDefault("HOTPATCH_STARTUP_WAIT_SECONDS", "").trim();
      int seconds;
      try {
        seconds = waitText.isEmpty() ? DEFAULT_WAIT_SECONDS : Integer.parseInt(waitText);
      } catch (NumberFormatException e) {
        seconds = -1;
      }
      if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
        throw new SidecarConfig.Invalid(
            "HOTPATCH_STARTUP_WAIT_SECONDS="
                + waitText
                + " is not a number of"
                + " seconds from 0 to "
                + MAX_WAIT_SECONDS
                + ": unset it for the default "
                + DEFAULT_WAIT_SECONDS);
      }
      String listText = env.getOrDefault("HOTPATCH_STARTUP_PATCHES", "").trim();
      List<String> uids =
          listText.isEmpty()
              ? List.of()
              : Arrays.stream(listText.split(",")).map(String::trim).toList();
      if (uids.size() > MAX_EXPECTED
          || !uids.stream().allMatch(uid -> UID.matcher(uid).matches())) {
        throw new SidecarConfig.Invalid(
            "HOTPATCH_STARTUP_PATCHES="
                + abbreviate(listText)
                + " is not a comma"
                + " separated list of at most "
                + MAX_EXPECTED
                + " HotPatch uids: the injection webhook sets it from"
                + " the pod's restart.hotpatch.io/ annotations; unset it to wait for none");
      }
      return new Settings(Duration.ofSeconds(seconds), new LinkedHashSet<>(uids));
    }
  }

  /**
   * What the gate did: how many bundles it staged, or why the app starts without them (null when it
   * does not).
   */
  record Result(int bundles, String missing) {}

  private final Channel channel;
  private final BundleStore store;
  private final Settings settings;

  StartupStager(Channel channel, BundleStore store, Settings settings) {
    this.channel = channel;
    this.store = store;
    this.settings = settings;
  }

  /**
   * Stages, retrying every second within the wait; records the outcome in {@code dir} either way.
   */
  Result stage(Path dir) throws InterruptedException, IOException {
    Result result = attempt();
    Path missingFile = dir.resolve(MISSING_FILE);
    if (result.missing() == null) {
      Files.deleteIfExists(missingFile);
    } else {
      Files.writeString(missingFile, result.missing() + "\n");
    }
    return result;
  }

  private Result attempt() throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + settings.maxWait().toNanos();
    String problem = "no answer to GET desired";
    Set<String> absent = settings.expected();
    while (deadline - System.nanoTime() > 0) {
      try {
        DesiredState desired =
            channel
                .desired(null, 1)
                .get(
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                    TimeUnit.MILLISECONDS);
        BundleStore.Staged staged = store.sync(desired, channel::bundle);
        absent = new LinkedHashSet<>(settings.expected());
        desired.getPatches().stream().map(PatchOrder::getUid).forEach(absent::remove);
        if (!staged.retry() && absent.isEmpty()) {
          return new Result(staged.files().size(), null);
        }
        problem = staged.retry() ? staged.problems().values().iterator().next() : null;
      } catch (TimeoutException e) {
        break;
      } catch (ExecutionException e) {
        problem = e.getCause().getMessage();
      } catch (IOException e) {
        problem = "cannot write the bundles into " + store.dir() + " (" + e + ")";
      }
      long left = deadline - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.sleep(Math.min(left, RETRY.toNanos()));
      }
    }
    long waited = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    String why =
        problem == null
            ? "HotPatch uid "
                + String.join(", ", absent)
                + " not published for this pod within "
                + waited
                + " s"
            : "operator unreachable for " + waited + " s (" + problem + ")";
    return new Result(
        0,
        "started without startup bundles: "
            + why
            + "; patches that need a restart are missing"
            + " from this JVM until its next start");
  }

  private static String abbreviate(String text) {
    return text.length() <= 80 ? text : text.substring(0, 80) + "...";
  }

  /**
   * The env of the init step names the channel: the webhook gives it the same settings as the
   * sidecar.
   */
  static boolean wanted(Map<String, String> env) {
    String url = env.get("HOTPATCH_CHANNEL_URL");
    return url != null && !url.isBlank();
  }
}
