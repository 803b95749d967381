package io.hotpatch.bench.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Bad bearer tokens against the channel, counted in TokenReviews the mock API server answered: one
 * bad token sent many times costs one review, many distinct ones from one address at most that
 * address's budget (hotpatch.channel.refused-reviews-per-source, 10 a minute), the refusals are
 * logged at most 30 lines a minute, and a sidecar from another address is still served. Small size
 * by default; -Dhostile.same-token=10000 -Dhostile.distinct-tokens=2000 runs the flood size.
 */
@ExtendWith(SharedOperator.class)
class TokenFloodIT {
  private static final int SAME = Integer.getInteger("hostile.same-token", 200);
  private static final int DISTINCT = Integer.getInteger("hostile.distinct-tokens", 50);
  private static final int BUDGET = 10;
  private static final String DESIRED =
      "/channel/v1/namespaces/"
          + HostileRig.NAMESPACE
          + "/pods/"
          + HostileRig.POD
          + "/desired?waitSeconds=1";

  @Test
  void aFloodOfBadTokensCostsABoundedNumberOfTokenReviews(HostileRig rig) throws Exception {
    RawHttps https = rig.raw();
    int before = rig.api().tokenReviews();

    String bad = "eyJhbGciOiJSUzI1NiJ9.forged." + UUID.randomUUID();
    long start = System.nanoTime();
    Map<Integer, AtomicInteger> sameStatuses = flood(SAME, i -> bad, HostileRig.loopback(3), https);
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start);
    int sameReviews = rig.api().tokenReviews() - before;

    Map<Integer, AtomicInteger> distinctStatuses =
        flood(
            DISTINCT, i -> "forged-" + i + "-" + UUID.randomUUID(), HostileRig.loopback(4), https);
    int distinctReviews = rig.api().tokenReviews() - before - sameReviews;

    int goodStatus = rig.poll(rig.sidecarClient(), null, 1).statusCode();
    long refusalLines =
        Files.readAllLines(SharedOperator.log()).stream()
            .filter(line -> line.contains("Channel refused"))
            .count();
    long minutes = TimeUnit.NANOSECONDS.toMinutes(System.nanoTime() - start) + 1;
    System.out.printf(
        "same bad token x%d in %d s: %d TokenReview(s), answers %s; %d distinct bad tokens: %d"
            + " TokenReviews, answers %s; refusal log lines %d in %d min; good sidecar %d%n",
        SAME,
        seconds,
        sameReviews,
        sameStatuses,
        DISTINCT,
        distinctReviews,
        distinctStatuses,
        refusalLines,
        minutes,
        goodStatus);

    // A refusal is remembered 10 s (hotpatch.channel.refusal-cache-ttl): one review per 10 s at
    // most.
    assertThat(sameReviews)
        .as("TokenReviews for one bad token sent %d times in %d s", SAME, seconds)
        .isBetween(1, 1 + (int) seconds / 10);
    assertThat(sameStatuses.keySet()).containsAnyOf(401).isSubsetOf(401, 429);
    assertThat(distinctReviews)
        .as("TokenReviews for %d distinct bad tokens from one address", DISTINCT)
        .isLessThanOrEqualTo(BUDGET);
    assertThat(distinctStatuses.get(429).get()).isGreaterThanOrEqualTo(DISTINCT - BUDGET);
    assertThat(refusalLines)
        .as("refusals logged, 30 a minute and a count")
        .isLessThanOrEqualTo(31 * (minutes + 1));
    assertThat(goodStatus).as("the good sidecar, from its own address").isEqualTo(200);
  }

  /**
   * Sends {@code count} polls with the token {@code token.apply(i)}, 16 at a time; the statuses and
   * their counts.
   */
  private static Map<Integer, AtomicInteger> flood(
      int count, java.util.function.IntFunction<String> token, InetAddress from, RawHttps https)
      throws InterruptedException {
    Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    for (int i = 0; i < count; i++) {
      String bearer = token.apply(i);
      pool.execute(
          () ->
              statuses
                  .computeIfAbsent(
                      https
                          .send(
                              from,
                              "GET",
                              DESIRED,
                              Map.of("Authorization", "Bearer " + bearer),
                              null)
                          .status(),
                      s -> new AtomicInteger())
                  .incrementAndGet());
    }
    pool.shutdown();
    assertThat(pool.awaitTermination(5, TimeUnit.MINUTES)).isTrue();
    return statuses;
  }
}
