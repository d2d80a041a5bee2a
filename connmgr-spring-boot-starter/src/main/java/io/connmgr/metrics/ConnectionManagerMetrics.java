package io.connmgr.metrics;

import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import io.connmgr.Registration;
import io.connmgr.RoundScores;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ManagerStats;
import io.connmgr.inspect.ScorerInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToIntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters for a {@link ConnectionManager}, in the way HikariCP's tracker plugs Micrometer
 * into a pool that knows nothing of it: gauges read the manager (held weakly), counters and timers
 * are fed by a {@link ConnectionManagerListener}, and the per-scorer timers and the {@code
 * connmgr.scorer.failures} counters read the manager's cumulative scorer statistics ({@link
 * ScorerInfo}) when scraped. {@link #close()} removes every meter and the listener.
 *
 * <p>Meters: gauges {@code connmgr.connections} (tag {@code direction}), {@code connmgr.peers},
 * {@code connmgr.streams}, {@code connmgr.protected.peers}, {@code connmgr.leases.active}, {@code
 * connmgr.watermark} (tag {@code level}); counters {@code connmgr.evictions} (tag {@code trigger}),
 * {@code connmgr.vetoes} (tag {@code veto}), {@code connmgr.lease.extensions}, {@code
 * connmgr.scorer.failures} (tags {@code scorer}, {@code kind}), {@code connmgr.refusals} (tag
 * {@code limit}), {@code connmgr.round.connections} (tag {@code outcome}: what rounds did with the
 * connections they considered, {@code closed} or {@code kept}); timers {@code connmgr.trim} (tag
 * {@code trigger}) and {@code connmgr.scorer} (tag {@code scorer}); distribution summaries with
 * histogram buckets up to 10, 50, 100, 200, 300, ..., 1000 {@code connmgr.scores} (tag {@code
 * outcome}: the final scores of the connections rounds considered) and {@code
 * connmgr.scorer.scores} (tag {@code scorer}: each scorer's answers in the rounds), recorded off
 * the round's thread ({@link ScoreDistributions}); they, and {@code connmgr.round.connections}, can
 * be left out. Every series exists from the start (per scorer, from its first round), so {@code
 * rate()} sees the first event. Tags never hold a peer id. Each meter is looked up in the registry
 * once, so an event costs its listener an array or map read and an increment.
 */
public final class ConnectionManagerMetrics implements MeterBinder, AutoCloseable {

  private final ConnectionManager manager;
  private final Tags tags;
  private final boolean scoreDistributions;
  private final List<Binding> bindings = new CopyOnWriteArrayList<>();

  /** Meters for {@code manager} with no extra tags. */
  public ConnectionManagerMetrics(ConnectionManager manager) {
    this(manager, Tags.empty());
  }

  /** Meters for {@code manager}, each with {@code tags} added (to tell managers apart). */
  public ConnectionManagerMetrics(ConnectionManager manager, Iterable<Tag> tags) {
    this(manager, tags, true);
  }

  /**
   * Meters for {@code manager}, each with {@code tags} added; without the score distributions
   * ({@code connmgr.scores}, {@code connmgr.scorer.scores}, {@code connmgr.round.connections})
   * unless {@code scoreDistributions}, so that rounds hand this binder nothing to record.
   */
  public ConnectionManagerMetrics(
      ConnectionManager manager, Iterable<Tag> tags, boolean scoreDistributions) {
    this.manager = manager;
    this.tags = Tags.of(tags);
    this.scoreDistributions = scoreDistributions;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    bindings.add(new Binding(registry));
  }

  /** Removes every meter this binder registered, from every registry, and its listeners. */
  @Override
  public void close() {
    for (Binding binding : bindings) {
      binding.close();
    }
    bindings.clear();
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  /** The meters and listener of one registry. */
  private final class Binding implements ConnectionManagerListener {

    private final MeterRegistry registry;
    private final List<Meter> meters = new CopyOnWriteArrayList<>();
    private final Map<String, ScorerTotals> scorers = new ConcurrentHashMap<>();

    /** By trigger ordinal. */
    private final Counter[] evictions = new Counter[Trigger.values().length];

    /** By trigger ordinal. */
    private final Timer[] rounds = new Timer[Trigger.values().length];

    private final Map<String, Counter> vetoes = new ConcurrentHashMap<>();

    private final @Nullable ScoreDistributions distributions;
    private final Registration listener;

    Binding(MeterRegistry registry) {
      this.registry = registry;
      gauge(
          "connmgr.connections",
          "Open connections",
          Tags.of("direction", "inbound"),
          ManagerStats::inbound);
      gauge(
          "connmgr.connections",
          "Open connections",
          Tags.of("direction", "outbound"),
          ManagerStats::outbound);
      gauge(
          "connmgr.peers",
          "Peers tracked, temporary entries included",
          Tags.empty(),
          ManagerStats::peerCount);
      gauge("connmgr.streams", "Open streams", Tags.empty(), ManagerStats::streamCount);
      gauge(
          "connmgr.protected.peers",
          "Peers protected under at least one tag",
          Tags.empty(),
          ManagerStats::protectedPeers);
      gauge(
          "connmgr.leases.active",
          "Leases neither released nor elapsed",
          Tags.empty(),
          ManagerStats::activeLeases);
      gauge("connmgr.watermark", "The watermarks", Tags.of("level", "low"), ManagerStats::lowWater);
      gauge(
          "connmgr.watermark", "The watermarks", Tags.of("level", "high"), ManagerStats::highWater);
      meters.add(
          FunctionCounter.builder(
                  "connmgr.lease.extensions", manager, m -> m.stats().leaseExtensions())
              .description("Lease extensions granted by lease listeners when a round asked")
              .tags(tags)
              .register(registry));
      // every series exists from the start, so that rate() and increase() see the first event
      for (Trigger trigger : Trigger.values()) {
        evictions[trigger.ordinal()] =
            remember(
                Counter.builder("connmgr.evictions")
                    .description("Connections the manager closed, by what started it")
                    .tags(tags)
                    .tag("trigger", lower(trigger))
                    .register(registry));
        rounds[trigger.ordinal()] =
            remember(
                Timer.builder("connmgr.trim")
                    .description("Trim rounds, by what started them")
                    .tags(tags)
                    .tag("trigger", lower(trigger))
                    .register(registry));
      }
      for (AdmissionLimit limit : AdmissionLimit.values()) {
        meters.add(
            FunctionCounter.builder(
                    "connmgr.refusals", manager, m -> m.stats().refusals().getOrDefault(limit, 0L))
                .description("New connections refused by a hard limit")
                .tags(tags)
                .tag("limit", lower(limit))
                .register(registry));
      }
      this.distributions = scoreDistributions ? new ScoreDistributions(registry, tags) : null;
      syncScorers();
      this.listener = manager.addListener(this);
    }

    private void gauge(
        String name, String description, Tags extra, ToIntFunction<ManagerStats> value) {
      meters.add(
          Gauge.builder(name, manager, m -> m.isClosed() ? Double.NaN : value.applyAsInt(m.stats()))
              .description(description)
              .tags(tags)
              .tags(extra)
              .register(registry));
    }

    private <M extends Meter> M remember(M meter) {
      meters.add(meter);
      return meter;
    }

    @Override
    public void onEviction(EvictionRecord record) {
      evictions[record.trigger().ordinal()].increment();
    }

    @Override
    public void onVeto(String veto, ConnectionView candidate, String reason) {
      vetoes
          .computeIfAbsent(
              veto,
              name ->
                  remember(
                      Counter.builder("connmgr.vetoes")
                          .description("Candidates a veto kept open")
                          .tags(tags)
                          .tag("veto", name)
                          .register(registry)))
          .increment();
    }

    /**
     * The failure counters of a scorer (tag {@code kind}: {@code error}, {@code timeout}, {@code
     * clamped}), read from its cumulative statistics (rounds' and assessments' calls together).
     */
    private void scorerFailures(ScorerTotals totals) {
      failureCounter(totals, "error", ScorerTotals::errors);
      failureCounter(totals, "timeout", ScorerTotals::timeouts);
      failureCounter(totals, "clamped", ScorerTotals::clamped);
    }

    private void failureCounter(
        ScorerTotals totals, String kind, ToDoubleFunction<ScorerTotals> count) {
      remember(
          FunctionCounter.builder("connmgr.scorer.failures", totals, count)
              .description("Scorer calls that threw, ran past the budget, or were clamped")
              .tags(tags)
              .tag("scorer", totals.name)
              .tag("kind", kind)
              .register(registry));
    }

    @Override
    public void onRound(TrimReport report) {
      rounds[report.trigger().ordinal()].record(report.took());
      syncScorers();
    }

    @Override
    public void onRoundScores(RoundScores round) {
      if (distributions != null) {
        distributions.add(round);
      }
    }

    /** Adds a timer for each scorer registered since the last look, and refreshes the totals. */
    private void syncScorers() {
      for (ScorerInfo info : manager.inspect().scorers()) {
        scorers
            .computeIfAbsent(
                info.name(),
                name -> {
                  ScorerTotals totals = new ScorerTotals(name);
                  remember(
                      FunctionTimer.builder(
                              "connmgr.scorer",
                              totals,
                              ScorerTotals::calls,
                              ScorerTotals::totalNanos,
                              TimeUnit.NANOSECONDS)
                          .description("Scorer calls and the time spent in them")
                          .tags(tags)
                          .tag("scorer", name)
                          .register(registry));
                  scorerFailures(totals);
                  if (distributions != null) {
                    distributions.scorer(name);
                  }
                  return totals;
                })
            .refresh(info);
      }
    }

    void close() {
      listener.close();
      if (distributions != null) {
        distributions.close();
      }
      for (Meter meter : meters) {
        registry.remove(meter);
      }
      meters.clear();
    }

    /**
     * A scorer's cumulative calls and time, read from the manager; the last values seen stay after
     * the scorer is unregistered. A new registration under the same name starts again at zero,
     * which monitoring systems read as a counter reset.
     */
    private final class ScorerTotals {
      private final String name;
      private long calls;
      private long nanos;
      private long errors;
      private long timeouts;
      private long clamped;

      ScorerTotals(String name) {
        this.name = name;
      }

      synchronized void refresh(@Nullable ScorerInfo info) {
        if (info != null) {
          calls = info.calls();
          nanos = info.totalTime().toNanos();
          errors = info.errors();
          timeouts = info.timeouts();
          clamped = info.clamped();
        }
      }

      synchronized long calls() {
        refresh(find());
        return calls;
      }

      synchronized double totalNanos() {
        refresh(find());
        return nanos;
      }

      synchronized long errors() {
        refresh(find());
        return errors;
      }

      synchronized long timeouts() {
        refresh(find());
        return timeouts;
      }

      synchronized long clamped() {
        refresh(find());
        return clamped;
      }

      private @Nullable ScorerInfo find() {
        for (ScorerInfo info : manager.inspect().scorers()) {
          if (info.name().equals(name)) {
            return info;
          }
        }
        return null;
      }
    }
  }
}
