package io.hotpatch.operator.bundle;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.hotpatch.core.Bundle;
import io.hotpatch.core.BundleException;
import io.hotpatch.core.ProtectedClasses;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.Semaphore;

/**
 * What the operator knows about each bundle content, by sha256: checked once (valid or refused),
 * however many HotPatches use it and however often they reconcile; two bundles at most are checked
 * at a time, so a flood of new bundles costs bounded memory.
 */
@ApplicationScoped
public class BundleVerdicts {
  /** Verdicts kept; each is two short strings. */
  static final int CAPACITY = 4096;

  private static final int PARALLEL_CHECKS = 2;

  /**
   * The outcome of checking one bundle content.
   *
   * @param invalid why no HotPatch may use it, or null
   * @param unlessJdkAllowed why a HotPatch that does not allow JDK classes may not use it, or null
   */
  public record Verdict(String invalid, String unlessJdkAllowed) {
    /** Why a HotPatch with this opt-in must not use the bundle, or null when it may. */
    public String refusal(boolean allowJdkClasses) {
      return invalid != null ? invalid : allowJdkClasses ? null : unlessJdkAllowed;
    }
  }

  private final Cache<String, Verdict> verdicts =
      Caffeine.newBuilder().maximumSize(CAPACITY).build();
  private final Semaphore checking = new Semaphore(PARALLEL_CHECKS);

  /** The verdict on this content if it was checked before, else null. */
  public Verdict known(String sha256) {
    return verdicts.getIfPresent(sha256);
  }

  /**
   * The verdict on these bytes, whose sha256 the caller computed; checks them only the first time.
   */
  public Verdict check(String sha256, byte[] bundle) {
    return verdicts.get(
        sha256,
        sha -> {
          checking.acquireUninterruptibly();
          try {
            Set<String> classes = Bundle.verify(bundle);
            return new Verdict(
                ProtectedClasses.refusal(classes, true), ProtectedClasses.refusal(classes, false));
          } catch (BundleException e) {
            return new Verdict(e.getMessage(), null);
          } finally {
            checking.release();
          }
        });
  }
}
