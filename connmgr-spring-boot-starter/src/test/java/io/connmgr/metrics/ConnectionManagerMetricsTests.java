package io.connmgr.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.Direction;
import io.connmgr.LeaseDecision;
import io.connmgr.ManagedConnection;
import io.connmgr.PeerId;
import io.connmgr.Registration;
import io.connmgr.RoundScores;
import io.connmgr.Score;
import io.connmgr.Verdict;
import io.connmgr.autoconfigure.Connections;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConnectionManagerMetricsTests {

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private final ConnectionManager cm =
      ConnectionManager.builder()
          .lowWater(1)
          .highWater(3)
          .gracePeriod(Duration.ofSeconds(10))
          .maintenanceInterval(Duration.ZERO)
          .scorerBudget(Duration.ofSeconds(5))
          .maxLease(Duration.ofSeconds(30))
          .clock(InstantSource.class.cast((InstantSource) now::get))
          .build();
  private final MeterRegistry registry = new SimpleMeterRegistry();
  private final ConnectionManagerMetrics metrics = new ConnectionManagerMetrics(cm);
  private final Connections connections = new Connections(cm);

  @AfterEach
  void close() {
    metrics.close();
    cm.close();
  }

  @Test
  void gaugesFollowTheManager() {
    metrics.bindTo(registry);
    ManagedConnection in = connections.open("a");
    connections.open("b", Direction.OUTBOUND);
    connections.open("b", Direction.OUTBOUND);
    in.openStream("chat", Direction.INBOUND);
    in.lease(Duration.ofSeconds(5), lease -> LeaseDecision.release());
    cm.pin(PeerId.of("a"));

    assertThat(gauge("connmgr.connections", "direction", "inbound")).isEqualTo(1);
    assertThat(gauge("connmgr.connections", "direction", "outbound")).isEqualTo(2);
    assertThat(registry.get("connmgr.peers").gauge().value()).isEqualTo(2);
    assertThat(registry.get("connmgr.streams").gauge().value()).isEqualTo(1);
    assertThat(registry.get("connmgr.protected.peers").gauge().value()).isEqualTo(1);
    assertThat(registry.get("connmgr.leases.active").gauge().value()).isEqualTo(1);
    assertThat(gauge("connmgr.watermark", "level", "low")).isEqualTo(1);
    assertThat(gauge("connmgr.watermark", "level", "high")).isEqualTo(3);
  }

  @Test
  void evictionsAreCountedByTriggerAndRoundsAreTimed() {
    metrics.bindTo(registry);
    connections.open("a");
    connections.open("b");
    connections.open("c");
    now.set(now.get().plusSeconds(11));
    cm.trim();
    cm.evict(connections.open("d").id(), "operator test");

    // listeners hear events on the manager's callback threads, just after the call
    // the meters appear with the first event too: until then registry.get(...) throws
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(registry.get("connmgr.trim").tag("trigger", "manual").timer().count())
                    .isEqualTo(1));
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                assertThat(
                        registry
                            .get("connmgr.evictions")
                            .tag("trigger", "operator")
                            .counter()
                            .count())
                    .isEqualTo(1));
    assertThat(registry.get("connmgr.evictions").tag("trigger", "manual").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("connmgr.evictions").tag("trigger", "operator").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("connmgr.evictions").tag("trigger", "watermark").counter().count())
        .isZero();
    assertThat(registry.get("connmgr.trim").tag("trigger", "manual").timer().count()).isEqualTo(1);
  }

  @Test
  void vetoesAreCountedByVetoName() {
    metrics.bindTo(registry);
    cm.registerVeto("kad-buckets", (candidate, round) -> Verdict.veto("last in its bucket"));
    connections.open("a");
    connections.open("b");
    now.set(now.get().plusSeconds(11));
    cm.trim();
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(
                        registry.get("connmgr.vetoes").tag("veto", "kad-buckets").counter().count())
                    .as("both candidates were vetoed")
                    .isEqualTo(2));
  }

  @Test
  void scorerFailuresAreCountedByScorerAndKindAndScorerCallsAreTimed() {
    metrics.bindTo(registry);
    cm.registerPeerScorer(
        "broken",
        peer -> {
          throw new IllegalStateException("boom");
        });
    cm.registerConnectionScorer("greedy", connection -> 5000);
    connections.open("a");
    connections.open("b");
    now.set(now.get().plusSeconds(11));
    cm.inspect().assess();
    cm.trim();

    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              assertThat(
                      registry
                          .get("connmgr.scorer.failures")
                          .tags("scorer", "broken", "kind", "error")
                          .functionCounter()
                          .count())
                  .isEqualTo(4);
              assertThat(
                      registry
                          .get("connmgr.scorer.failures")
                          .tags("scorer", "greedy", "kind", "clamped")
                          .functionCounter()
                          .count())
                  .isEqualTo(4);
            });
    assertThat(
            registry
                .get("connmgr.scorer.failures")
                .tags("scorer", "greedy", "kind", "clamped")
                .functionCounter()
                .count())
        .isEqualTo(4);
    FunctionTimer greedy = registry.get("connmgr.scorer").tag("scorer", "greedy").functionTimer();
    // the timer counts the rounds' calls; assess() calls are counted apart (ScorerInfo)
    assertThat(greedy.count()).isEqualTo(2);
    assertThat(greedy.totalTime(java.util.concurrent.TimeUnit.NANOSECONDS)).isPositive();
  }

  @Test
  void aScorerRegisteredAfterBindingGetsItsTimerAtTheNextRoundAndKeepsItsLastValues() {
    metrics.bindTo(registry);
    Registration latency = cm.registerPeerScorer("latency", peer -> 1);
    connections.open("a");
    connections.open("b");
    now.set(now.get().plusSeconds(11));
    cm.trim();
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(registry.find("connmgr.scorer").tag("scorer", "latency").functionTimer())
                    .isNotNull());
    FunctionTimer timer = registry.get("connmgr.scorer").tag("scorer", "latency").functionTimer();
    assertThat(timer.count()).as("both peers rated").isEqualTo(2);
    latency.close();
    assertThat(timer.count()).as("last values stay after unregistration").isEqualTo(2);
  }

  @Test
  void eachRoundRecordsTheFinalScoresItConsideredByOutcomeAndEachScorersAnswers() {
    try (ConnectionManager two =
            ConnectionManager.builder()
                .lowWater(3)
                .highWater(3)
                .maintenanceInterval(Duration.ZERO)
                .gracePeriod(Duration.ZERO)
                .scorerBudget(Duration.ofSeconds(5))
                .scorerWeight("latency", 2.0)
                .build();
        ConnectionManagerMetrics twoMetrics = new ConnectionManagerMetrics(two)) {
      Map<String, Integer> latency = Map.of("a", 20, "b", 125, "c", 450, "d", Score.KEEP, "e", 0);
      two.registerPeerScorer("latency", peer -> latency.get(peer.id().value()));
      twoMetrics.bindTo(registry);
      assertThat(registry.get("connmgr.scores").tag("outcome", "closed").summary().count())
          .as("present before the first round")
          .isZero();
      Connections c = new Connections(two);
      for (String peer : List.of("a", "b", "c", "d", "e")) {
        c.open(peer);
      }
      two.protect(PeerId.of("e"), "relay");

      two.trim(); // 5 open, low water 3: closes the two lowest of a, b, c, d
      // recorded off the round's thread
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  registry.get("connmgr.scorer.scores").tag("scorer", "latency").summary().count()
                      == 3);

      DistributionSummary closed =
          registry.get("connmgr.scores").tag("outcome", "closed").summary();
      DistributionSummary kept = registry.get("connmgr.scores").tag("outcome", "kept").summary();
      assertThat(closed.count()).isEqualTo(2);
      assertThat(closed.totalAmount()).isEqualTo(2.0 * 20 + 2.0 * 125);
      assertThat(buckets(closed))
          .containsEntry(50.0, 1.0)
          .containsEntry(200.0, 1.0)
          .containsEntry(300.0, 2.0)
          .containsEntry(1000.0, 2.0);
      assertThat(kept.count()).as("c; d was kept by its scorer and has no score").isEqualTo(1);
      assertThat(kept.totalAmount()).isEqualTo(900);
      assertThat(buckets(kept)).containsEntry(800.0, 0.0).containsEntry(900.0, 1.0);
      assertThat(
              registry.get("connmgr.round.connections").tag("outcome", "closed").counter().count())
          .isEqualTo(2);
      assertThat(registry.get("connmgr.round.connections").tag("outcome", "kept").counter().count())
          .as("c and d; e was protected, never considered")
          .isEqualTo(2);
      DistributionSummary answers =
          registry.get("connmgr.scorer.scores").tag("scorer", "latency").summary();
      assertThat(answers.count()).as("a, b and c; a keep is no number").isEqualTo(3);
      assertThat(answers.totalAmount()).isEqualTo(20 + 125 + 450);
    }
  }

  @Test
  void theDistributionsHoldExactlyTheScoresOfEveryRoundPerOutcomeAndPerScorer() {
    try (ConnectionManager many =
            ConnectionManager.builder()
                .lowWater(120)
                .highWater(150)
                .maintenanceInterval(Duration.ZERO)
                .gracePeriod(Duration.ZERO)
                .scorerBudget(Duration.ofSeconds(5))
                .scorerWeight("latency", 0.5)
                .build();
        ConnectionManagerMetrics manyMetrics = new ConnectionManagerMetrics(many)) {
      // answers across every bucket and beyond 1000 (weighted sums with tags), keeps, failures
      many.registerPeerScorer(
          "latency",
          peer -> {
            int k = Integer.parseInt(peer.id().value().substring(1));
            return k % 17 == 0 ? Score.KEEP : (k * 37) % 1001;
          });
      many.registerPeerScorer(
          "relay",
          peer -> {
            int k = Integer.parseInt(peer.id().value().substring(1));
            if (k % 13 == 0) {
              throw new IllegalStateException("no answer for " + k);
            }
            return (k * 11) % 1001;
          });
      manyMetrics.bindTo(registry);
      List<RoundScores> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
      many.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRoundScores(RoundScores scores) {
              heard.add(scores);
            }
          });
      Connections c = new Connections(many);
      for (int round = 0; round < 2; round++) {
        for (int k = 0; k < 200; k++) {
          String peer = "p" + (round * 200 + k);
          c.open(peer);
          many.tagPeer(PeerId.of(peer), "weight", (k * 7919) % 700 - 100); // some negative
          if (k % 10 == 0) {
            many.protect(PeerId.of(peer), "relay");
          }
        }
        many.trim();
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  heard.size() == 2
                      && roundConnections("closed") + roundConnections("kept")
                          == heard.get(0).considered() + heard.get(1).considered());

      Reference closed = new Reference();
      Reference kept = new Reference();
      Map<String, Reference> answers = new java.util.HashMap<>();
      int closedCount = 0;
      for (RoundScores round : heard) {
        assertThat(round.scorers()).containsExactly("latency", "relay");
        for (int i = 0; i < round.considered(); i++) {
          closedCount += round.closed(i) ? 1 : 0;
          if (round.score(i) != Double.POSITIVE_INFINITY) {
            (round.closed(i) ? closed : kept).add(round.score(i));
          }
          for (int s = 0; s < 2; s++) {
            int answer = round.answer(s, i);
            if (answer != Score.KEEP && answer != RoundScores.NO_ANSWER) {
              answers.computeIfAbsent(round.scorers().get(s), x -> new Reference()).add(answer);
            }
          }
        }
      }
      assertThat(closedCount)
          .as("closed by the two rounds")
          .isEqualTo(c.closed().size())
          .isPositive();
      assertThat(roundConnections("closed")).isEqualTo(closedCount);
      assertThat(roundConnections("kept"))
          .isEqualTo(heard.get(0).considered() + heard.get(1).considered() - closedCount);
      closed.assertMatches(registry.get("connmgr.scores").tag("outcome", "closed").summary());
      kept.assertMatches(registry.get("connmgr.scores").tag("outcome", "kept").summary());
      assertThat((double) kept.count)
          .as("a connection its scorer kept has no score")
          .isLessThan(roundConnections("kept"));
      assertThat(kept.count - kept.atOrBelow[kept.atOrBelow.length - 1])
          .as("scores above the last bound")
          .isPositive();
      for (String scorer : List.of("latency", "relay")) {
        answers
            .get(scorer)
            .assertMatches(registry.get("connmgr.scorer.scores").tag("scorer", scorer).summary());
      }
    }
  }

  @Test
  void withoutTheDistributionsNoRoundHandsThemAnythingAndTheOtherMetersStay() {
    try (ConnectionManagerMetrics counters =
        new ConnectionManagerMetrics(cm, io.micrometer.core.instrument.Tags.empty(), false)) {
      counters.bindTo(registry);
      cm.registerPeerScorer("latency", peer -> 10);
      connections.open("a");
      connections.open("b");
      now.set(now.get().plusSeconds(11));
      cm.trim();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  registry.get("connmgr.evictions").tag("trigger", "manual").counter().count()
                      == 1);
      assertThat(registry.find("connmgr.scores").meters()).isEmpty();
      assertThat(registry.find("connmgr.scorer.scores").meters()).isEmpty();
      assertThat(registry.find("connmgr.round.connections").meters()).isEmpty();
      assertThat(
              registry.get("connmgr.scorer.failures").tag("scorer", "latency").functionCounters())
          .extracting(c -> c.getId().getTag("kind"))
          .containsExactlyInAnyOrder("error", "timeout", "clamped");
    }
  }

  private double roundConnections(String outcome) {
    return registry.get("connmgr.round.connections").tag("outcome", outcome).counter().count();
  }

  /** What a distribution must hold, computed from the rounds' own scores. */
  private static final class Reference {
    private static final double[] BOUNDS = {
      10, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000
    };
    private final long[] atOrBelow = new long[BOUNDS.length];
    private long count;
    private double total;

    void add(double value) {
      double recorded = Math.max(0, value); // a negative tag sum counts as 0
      count++;
      total += recorded;
      for (int b = 0; b < BOUNDS.length; b++) {
        atOrBelow[b] += recorded <= BOUNDS[b] ? 1 : 0;
      }
    }

    void assertMatches(DistributionSummary summary) {
      assertThat(summary.count()).isEqualTo(count);
      assertThat(summary.totalAmount()).isCloseTo(total, org.assertj.core.data.Offset.offset(1e-6));
      Map<Double, Double> buckets = buckets(summary);
      assertThat(buckets.keySet())
          .containsExactly(java.util.Arrays.stream(BOUNDS).boxed().toArray(Double[]::new));
      for (int b = 0; b < BOUNDS.length; b++) {
        assertThat(buckets.get(BOUNDS[b]))
            .as("at or below " + BOUNDS[b])
            .isEqualTo((double) atOrBelow[b]);
      }
    }
  }

  @Test
  void leaseExtensionsAreCounted() {
    metrics.bindTo(registry);
    ManagedConnection c = connections.open("a");
    connections.open("b");
    c.lease(Duration.ofSeconds(1), lease -> LeaseDecision.extend(Duration.ofSeconds(5)));
    now.set(now.get().plusSeconds(11));
    cm.trim();
    assertThat(registry.get("connmgr.lease.extensions").functionCounter().count()).isEqualTo(1);
  }

  @Test
  void refusalsAreCountedByLimit() {
    try (ConnectionManager capped =
            ConnectionManager.builder()
                .maintenanceInterval(Duration.ZERO)
                .maxConnectionsPerPeer(1)
                .deny(PeerId.of("troll"))
                .build();
        ConnectionManagerMetrics cappedMetrics = new ConnectionManagerMetrics(capped)) {
      cappedMetrics.bindTo(registry);
      Connections c = new Connections(capped);
      c.open("a");
      for (String peer : new String[] {"a", "troll", "troll"}) {
        try {
          c.open(peer);
        } catch (io.connmgr.ConnectionRefusedException expected) {
          // counted
        }
      }
      assertThat(
              registry
                  .get("connmgr.refusals")
                  .tag("limit", "max_per_peer")
                  .functionCounter()
                  .count())
          .isEqualTo(1);
      assertThat(registry.get("connmgr.refusals").tag("limit", "denied").functionCounter().count())
          .isEqualTo(2);
      assertThat(
              registry
                  .get("connmgr.refusals")
                  .tag("limit", "max_connections")
                  .functionCounter()
                  .count())
          .isZero();
    }
  }

  @Test
  void closeRemovesEveryMeterAndStopsCounting() {
    metrics.bindTo(registry);
    cm.registerVeto("v", (candidate, round) -> Verdict.veto("no"));
    connections.open("a");
    connections.open("b");
    now.set(now.get().plusSeconds(11));
    cm.trim();
    await()
        .atMost(java.time.Duration.ofSeconds(30))
        .untilAsserted(() -> assertThat(registry.find("connmgr.vetoes").counters()).hasSize(1));
    metrics.close();
    assertThat(registry.getMeters())
        .filteredOn(m -> m.getId().getName().startsWith("connmgr"))
        .isEmpty();
    cm.trim();
    assertThat(registry.find("connmgr.vetoes").counters()).isEmpty();
  }

  @Test
  void extraTagsGoOnEveryMeter() {
    try (ConnectionManagerMetrics tagged =
        new ConnectionManagerMetrics(
            cm, io.micrometer.core.instrument.Tags.of("manager", "edge"))) {
      MeterRegistry other = new SimpleMeterRegistry();
      tagged.bindTo(other);
      assertThat(other.getMeters())
          .isNotEmpty()
          .allSatisfy(m -> assertThat(m.getId().getTag("manager")).isEqualTo("edge"));
    }
  }

  /** Cumulative count per bucket upper bound. */
  private static Map<Double, Double> buckets(DistributionSummary summary) {
    Map<Double, Double> counts = new java.util.TreeMap<>();
    for (CountAtBucket bucket : summary.takeSnapshot().histogramCounts()) {
      counts.put(bucket.bucket(), bucket.count());
    }
    return counts;
  }

  private double gauge(String name, String tag, String value) {
    return registry.get(name).tag(tag, value).gauge().value();
  }
}
