package io.hotpatch.operator.api.v1alpha1;

/**
 * Every reason the operator writes into a HotPatch's conditions or its Events: the API's vocabulary
 * (README lists them). The constant's name is the reason as written.
 */
public enum Reason {
  /** Ready True: every target pod runs the patch. */
  AllPodsPatched,
  /** Ready True: the selector matches no pod. */
  NoTargets,
  /** Ready False: pods are still being patched. */
  RolloutInProgress,
  /** Progressing: the current wave's pods are being patched. */
  WaveInProgress,
  /** Progressing: the canary pods run the patch and the soak has not ended. */
  CanarySoaking,
  /** Progressing: workloads are rolled so that new pods start with the patch. */
  RestartInProgress,
  /** Progressing False: every target pod runs the patch. */
  RolloutComplete,
  /** Degraded False. */
  AsExpected,
  /** Degraded: the spec cannot be read or accepted; the message names the field and the fix. */
  InvalidSpec,
  /** Degraded: the bundle breaks a limit or names a class it may not patch. */
  InvalidBundle,
  /** Degraded: the ConfigMap or its key named by spec.bundle is missing. */
  BundleNotFound,
  /** Degraded: the bundle's sha256 is not spec.bundle.sha256. */
  BundleDigestMismatch,
  /** Degraded: the reconcile failed; retried with backoff. */
  ReconcileError,
  /** Degraded: a pod failed the health gate; the wave was reverted live and the rollout halted. */
  CanaryFailed,
  /** Degraded: a pod could not take the patch; the rollout halted. */
  RolloutHalted,
  /** Degraded: a pod that needs a restart has no owner to roll. */
  PodHasNoOwner,
  /** Degraded: a pod that needs a restart is owned by something the operator cannot roll. */
  UnsupportedOwner,
  /** Degraded: the Deployment to roll is paused. */
  DeploymentPaused,
  /**
   * Degraded: a pod without the sidecar cannot get the ephemeral container; the message says why.
   */
  EphemeralDeliveryRefused,
  /** Event: a wave (the canary first) started, naming its pods. */
  WaveStarted,
  /** Event: a workload is rolled so that its new pods start with the patch. */
  RestartFallback,
  /** Event: the ephemeral container was added to a pod without the sidecar. */
  EphemeralContainerAdded,
  /** Event: the HotPatch was deleted with onDelete Keep; running JVMs keep the patch. */
  PatchKept,
  /** Event: the HotPatch was deleted with onDelete Revert and every pod reverted. */
  PatchReverted,
  /** Warning Event: deletion with onDelete Revert gave up waiting for some pods. */
  RevertTimedOut,
  /** Warning Event: a sidecar reported an outcome for a patch it was not ordered to run. */
  UnplacedOutcome,
  /** Warning Event on a pod: the webhook did not inject it; the message says why. */
  HotpatchNotInjected,
  /** Event on a pod: injected, with a note (see its hotpatch.io/injection-note annotation). */
  HotpatchInjectedWithNote
}
