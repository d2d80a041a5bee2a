package io.connmgr.metrics;

import io.connmgr.RoundScores;
import io.connmgr.Score;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The score distributions of one registry: {@code connmgr.scores} (tag {@code outcome}), {@code
 * connmgr.scorer.scores} (tag {@code scorer}) and the split {@code connmgr.round.connections} (tag
 * {@code outcome}). The listener that hears a round's scores only hands them (values that never
 * change) to a thread of their own, which reads them once and records them, so neither the round,
 * nor the listener's thread, nor its other events wait for the histogram updates (a few hundred
 * thousand at 100 000 connections with scorers): a round costs the listener's thread one hand-off,
 * whatever its size.
 */
final class ScoreDistributions implements AutoCloseable {

  private static final Log LOG = LogFactory.getLog(ScoreDistributions.class);

  /**
   * The upper bounds of the histograms' buckets (Micrometer takes no bound of 0: the first bucket,
   * up to 10, holds the connections worth next to nothing); above 1000 is +Inf.
   */
  private static final double[] BUCKETS = {
    10, 50, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000
  };

  /** Rounds waiting to be recorded before further ones are dropped. */
  private static final int ROUNDS_WAITING = 8;

  private final MeterRegistry registry;
  private final Tags tags;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final Map<String, DistributionSummary> answers = new ConcurrentHashMap<>();
  private final DistributionSummary closedScores;
  private final DistributionSummary keptScores;
  private final Counter closedConnections;
  private final Counter keptConnections;
  private final ThreadPoolExecutor recorder;
  private final AtomicBoolean warnedOfDrop = new AtomicBoolean();

  /** Set by {@link #close()}; guarded by this for registrations. */
  private volatile boolean closed;

  ScoreDistributions(MeterRegistry registry, Tags tags) {
    this.registry = registry;
    this.tags = tags;
    this.closedScores = scores("closed");
    this.keptScores = scores("kept");
    this.closedConnections = considered("closed");
    this.keptConnections = considered("kept");
    CustomizableThreadFactory thread = new CustomizableThreadFactory("connmgr-metrics-");
    thread.setDaemon(true);
    this.recorder =
        new ThreadPoolExecutor(
            1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(ROUNDS_WAITING), thread);
    recorder.allowCoreThreadTimeOut(true);
    // started now rather than by the first round's hand-off, which would pay for it on the
    // listener's thread; it ends after 30 s without a round and the next round starts it again
    recorder.prestartCoreThread();
  }

  private DistributionSummary scores(String outcome) {
    return remember(
        DistributionSummary.builder("connmgr.scores")
            .description(
                "Final scores of the connections rounds considered (a connection a scorer"
                    + " kept has none), by what the round did with them")
            .serviceLevelObjectives(BUCKETS)
            .tags(tags)
            .tag("outcome", outcome)
            .register(registry));
  }

  private Counter considered(String outcome) {
    return remember(
        Counter.builder("connmgr.round.connections")
            .description("Connections rounds considered, by what the round did with them")
            .tags(tags)
            .tag("outcome", outcome)
            .register(registry));
  }

  /**
   * The answers histogram of {@code scorer}, registered on first use; null once closed, so that a
   * recording still under way registers nothing that {@link #close()} would leave behind.
   */
  synchronized @Nullable DistributionSummary scorer(String scorer) {
    if (closed) {
      return null;
    }
    return answers.computeIfAbsent(
        scorer,
        name ->
            remember(
                DistributionSummary.builder("connmgr.scorer.scores")
                    .description(
                        "Each scorer's answers (0..1000) for the connections rounds considered")
                    .serviceLevelObjectives(BUCKETS)
                    .tags(tags)
                    .tag("scorer", name)
                    .register(registry)));
  }

  private <M extends Meter> M remember(M meter) {
    meters.add(meter);
    return meter;
  }

  /** Has the round's scores recorded in the background; holds them until they are. */
  void add(RoundScores round) {
    if (closed) {
      return;
    }
    try {
      recorder.execute(() -> record(round));
    } catch (RejectedExecutionException e) {
      if (!recorder.isShutdown() && warnedOfDrop.compareAndSet(false, true)) {
        LOG.warn(
            "connmgr score distributions: "
                + ROUNDS_WAITING
                + " rounds are waiting to be"
                + " recorded; further rounds are left out until they are (logged once)");
      }
    }
  }

  private void record(RoundScores round) {
    int n = round.considered();
    int closedCount = 0;
    for (int i = 0; i < n; i++) {
      boolean closedOne = round.closed(i);
      closedCount += closedOne ? 1 : 0;
      double score = round.score(i);
      if (score != Double.POSITIVE_INFINITY) {
        // a negative tag sum lands in the lowest bucket (Micrometer drops negative amounts)
        (closedOne ? closedScores : keptScores).record(Math.max(0, score));
      }
    }
    List<String> scorers = round.scorers();
    for (int s = 0; s < scorers.size(); s++) {
      DistributionSummary summary = scorer(scorers.get(s));
      if (summary == null) {
        return;
      }
      for (int i = 0; i < n; i++) {
        int answer = round.answer(s, i);
        if (answer != Score.KEEP && answer != RoundScores.NO_ANSWER) {
          summary.record(answer);
        }
      }
    }
    // last, so that a round counted is a round recorded
    closedConnections.increment(closedCount);
    keptConnections.increment(n - closedCount);
  }

  /** Stops recording and removes the meters. */
  @Override
  public synchronized void close() {
    closed = true;
    recorder.shutdownNow();
    for (Meter meter : meters) {
      registry.remove(meter);
    }
    meters.clear();
    answers.clear();
  }
}
