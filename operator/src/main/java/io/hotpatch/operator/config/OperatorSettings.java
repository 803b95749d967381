package io.hotpatch.operator.config;

import io.hotpatch.operator.api.v1alpha1.UninjectedPodDelivery;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the operator (hotpatch.*, from application.properties or the env vars the chart
 * sets, e.g. HOTPATCH_SIDECAR_IMAGE), with its default: the one place defaults live.
 */
@ConfigMapping(prefix = "hotpatch")
public interface OperatorSettings {
  /** hotpatch.operator.*: the reconcile loop. */
  Operator operator();

  /** hotpatch.channel.*: the sidecars' channel and its TokenReviews. */
  Channel channel();

  /** hotpatch.sidecar.*: what the webhook injects. */
  Sidecar sidecar();

  /** hotpatch.webhook.*: the injection webhook. */
  Webhook webhook();

  /** hotpatch.status.*: what a HotPatch's status holds. */
  Status status();

  /** The reconcile loop's timing and choices. */
  interface Operator {
    /** How soon to look again while a rollout is moving or blocked. */
    @WithDefault("5s")
    Duration pollInterval();

    /** How soon to look again once a rollout is complete (pod events trigger earlier runs). */
    @WithDefault("5m")
    Duration resyncInterval();

    /** How long deletion with onDelete Revert waits for pods to report the revert. */
    @WithDefault("5m")
    Duration revertTimeout();

    /**
     * What pods without the sidecar get when a HotPatch does not say
     * (spec.delivery.uninjectedPods). Skip unless set: the chart sets its value
     * delivery.uninjectedPods (RestartWorkload).
     */
    @WithDefault("Skip")
    UninjectedPodDelivery uninjectedPods();

    /**
     * Label selector of the pods the operator caches and may target (for example {@code
     * hotpatch.io/inject=true}); unset: every pod of the watched namespaces.
     */
    Optional<String> podLabelSelector();

    /**
     * The TLS implementation of the HTTPS port (sidecar channel, webhook): OpenSsl (BoringSSL, a
     * handshake costs a fraction of the JDK's CPU, which matters when a fleet reconnects at once)
     * or Jdk.
     */
    @WithDefault("OpenSsl")
    TlsEngine tlsEngine();

    /**
     * The leader Lease's timing: a killed leader's replica takes over within about leaseDuration.
     */
    LeaderElection leaderElection();
  }

  /** hotpatch.operator.leader-election.* (the defaults are JOSDK's). */
  interface LeaderElection {
    @WithDefault("15s")
    Duration leaseDuration();

    @WithDefault("10s")
    Duration renewDeadline();

    @WithDefault("2s")
    Duration retryPeriod();
  }

  /** The channel: who may use it and how TokenReviews are bounded. */
  interface Channel {
    /** The operator's own address, as sidecars reach it through the Service. */
    @WithDefault("https://hotpatch-operator.hotpatch-system.svc:443")
    String url();

    /** The audience of the sidecars' projected tokens. */
    @WithDefault("hotpatch-operator")
    String audience();

    /**
     * How long a reviewed token is trusted before it is reviewed again (never past its {@code
     * exp}). Longer than a long poll, so a waiting sidecar costs no review per poll: at 30 s,
     * 10,000 sidecars polling every 30 s cost the API server and the operator 330 reviews a second.
     */
    @WithDefault("5m")
    Duration tokenCacheTtl();

    /** How long a refused token is answered from memory. */
    @WithDefault("10s")
    Duration refusalCacheTtl();

    /** Refused TokenReviews one client address may cause per window; then 429 until it ends. */
    @WithDefault("10")
    int refusedReviewsPerSource();

    @WithDefault("1m")
    Duration refusedReviewsWindow();

    /** Reviews of one address that may wait their turn; beyond, 503 with Retry-After. */
    @WithDefault("2000")
    int reviewQueuePerSource();

    /** How long a review may wait its turn. */
    @WithDefault("10s")
    Duration reviewQueueWait();

    /** Threads for the blocking TokenReview calls. */
    @WithDefault("8")
    int reviewThreads();

    /** Log lines a minute for refused channel requests; one line counts the rest. */
    @WithDefault("30")
    int refusalLogLinesPerMinute();
  }

  /** What the webhook injects. */
  interface Sidecar {
    @WithDefault("hotpatch/hotpatch-sidecar:0.1.0")
    String image();

    @WithDefault("IfNotPresent")
    String imagePullPolicy();

    /** native (an init container with restartPolicy Always) or container. */
    @WithDefault("native")
    String mode();

    /**
     * How long a new pod's app waits for its startup bundles (chart sidecar.startupWaitSeconds).
     */
    @WithDefault("20")
    int startupWaitSeconds();
  }

  /** The injection webhook. */
  interface Webhook {
    /** More namespaces never injected (the chart's selector has them too). */
    Optional<List<String>> excludedNamespaces();

    /**
     * The CA of the operator's TLS secret; read on every request because cert-manager may rotate
     * it.
     */
    @WithDefault("/etc/hotpatch/tls/ca.crt")
    String caFile();

    /** Event writes a second for injection notes. */
    @WithDefault("5")
    int eventWritesPerSecond();
  }

  /** What a HotPatch's status holds. */
  interface Status {
    /**
     * Bounds the per-pod list so that one HotPatch over 10,000 pods stays far below etcd's object
     * size.
     */
    @WithDefault("100")
    int maxPodEntries();
  }
}
