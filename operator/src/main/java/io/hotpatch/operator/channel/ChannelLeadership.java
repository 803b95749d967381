package io.hotpatch.operator.channel;

import io.hotpatch.operator.api.v1alpha1.HotPatch;
import io.quarkus.runtime.configuration.ConfigUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Whether this replica may answer sidecars: desired patches and reports live in the leader's
 * memory, so only the leader serves the channel, and only once it has republished the desired state
 * of every HotPatch that existed when it took the lead (before that it would serve an empty set and
 * lose reports). Without leader election (tests, dev) the process serves from the start, as one
 * replica.
 */
@ApplicationScoped
public class ChannelLeadership {
  private static final Logger LOG = Logger.getLogger(ChannelLeadership.class);

  private final Set<String> reconciledUids = ConcurrentHashMap.newKeySet();
  private volatile boolean leading;
  private volatile boolean republished;

  /**
   * The HotPatches cached when this replica took the lead: the ones another leader may have
   * published.
   */
  private volatile Set<String> toRepublish;

  private volatile Supplier<Stream<HotPatch>> hotPatches;
  private volatile Function<PatchKey, Optional<HotPatch>> hotPatch = key -> Optional.empty();

  @Inject
  ChannelLeadership(
      @ConfigProperty(name = "quarkus.operator-sdk.activate-leader-election-for-profiles")
          Optional<List<String>> electionProfiles) {
    this(electionProfiles.orElse(List.of()).stream().anyMatch(ConfigUtils.getProfiles()::contains));
  }

  ChannelLeadership(boolean elected) {
    this.leading = !elected;
    this.republished = !elected;
  }

  /**
   * The HotPatches this replica must have republished before it serves, and the one of a key: the
   * controller's cache.
   */
  public void watch(
      Supplier<Stream<HotPatch>> cachedHotPatches,
      Function<PatchKey, Optional<HotPatch>> cachedHotPatch) {
    this.hotPatches = cachedHotPatches;
    this.hotPatch = cachedHotPatch;
  }

  /**
   * JOSDK starts the leader's controllers after this, with their caches synced while it followed.
   */
  public void startedLeading() {
    reconciledUids.clear();
    republished = false;
    toRepublish = snapshot();
    leading = true;
    LOG.info(
        "Leading: the sidecar channel opens once every HotPatch's desired state is republished");
  }

  public void stoppedLeading() {
    leading = false;
    republished = false;
  }

  /** A reconcile of the HotPatch ended: what it desires for its pods is published again. */
  public void reconciled(HotPatch hotPatch) {
    if (leading) {
      reconciledUids.add(hotPatch.getMetadata().getUid());
    }
  }

  /** Whether this replica's cache holds the HotPatch {@code key} as the incarnation {@code uid}. */
  public boolean serves(PatchKey key, String uid) {
    return hotPatch.apply(key).filter(hp -> uid.equals(hp.getMetadata().getUid())).isPresent();
  }

  /** Why this replica must not answer a sidecar now (one line), or empty when it may. */
  public Optional<String> refusal() {
    if (!leading) {
      return Optional.of(
          "this replica is not the leader: retry on a new connection, the Service reaches the"
              + " leader within a few tries");
    }
    if (republished) {
      return Optional.empty();
    }
    if (toRepublish == null) {
      toRepublish = snapshot();
    }
    Set<String> pending = toRepublish;
    Supplier<Stream<HotPatch>> cache = hotPatches;
    // Counted among the cached ones, so that a HotPatch deleted meanwhile holds nothing up.
    long missing =
        pending == null || cache == null
            ? -1
            : cache
                .get()
                .map(hp -> hp.getMetadata().getUid())
                .filter(uid -> pending.contains(uid) && !reconciledUids.contains(uid))
                .count();
    if (missing != 0) {
      return Optional.of(
          "this replica leads but has not republished the desired state of "
              + (missing < 0 ? "its HotPatches" : missing + " HotPatch(es)")
              + " yet: retry in a second");
    }
    republished = true;
    LOG.info("Every HotPatch's desired state is republished: serving the sidecar channel");
    return Optional.empty();
  }

  private Set<String> snapshot() {
    Supplier<Stream<HotPatch>> cache = hotPatches;
    return cache == null
        ? null
        : cache.get().map(hp -> hp.getMetadata().getUid()).collect(Collectors.toSet());
  }
}
