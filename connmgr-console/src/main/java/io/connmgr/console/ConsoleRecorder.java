package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.Registration;
import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ManagerStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * What the console remembers beyond the manager's statistics: the connection count sampled on a
 * fixed period over the chart's window (a bounded ring), and the last rounds someone asked for
 * ({@link Trigger#MANUAL}), kept apart so that automatic rounds, which fill the manager's own
 * {@code stats().recentRounds()}, never push them out. Samples on its own daemon thread; both
 * buffers are read from copies.
 */
final class ConsoleRecorder implements InitializingBean, DisposableBean {

  /** How many operator rounds are kept. */
  static final int ROUNDS_KEPT = 20;

  private final ConnectionManager manager;
  private final Duration interval;
  private final int capacity;
  private final ArrayDeque<Sample> samples;
  private final ArrayDeque<TrimReport> operatorRounds = new ArrayDeque<>();
  private @Nullable ScheduledExecutorService sampler;
  private @Nullable Registration listening;

  /** One point of the chart. */
  record Sample(Instant at, int connections, int lowWater, int highWater) {}

  ConsoleRecorder(ConnectionManager manager, Duration interval, Duration window) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException(
          "connmgr.console.sample-interval must be positive, was " + interval);
    }
    this.manager = manager;
    this.interval = interval;
    this.capacity = (int) Math.max(2, Math.min(100_000, window.toMillis() / interval.toMillis()));
    this.samples = new ArrayDeque<>(capacity);
  }

  @Override
  public void afterPropertiesSet() {
    manager.stats().lastReport().ifPresent(this::record); // a round that ran before the console
    listening =
        manager.addListener(
            new ConnectionManagerListener() {
              @Override
              public void onRound(TrimReport report) {
                record(report);
              }
            });
    CustomizableThreadFactory thread = new CustomizableThreadFactory("connmgr-console-sampler-");
    thread.setDaemon(true);
    sampler = Executors.newSingleThreadScheduledExecutor(thread);
    sampler.scheduleAtFixedRate(this::sample, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Takes one sample now; the scheduled task calls this. */
  void sample() {
    if (manager.isClosed()) {
      return;
    }
    ManagerStats info = manager.stats();
    Sample s =
        new Sample(
            manager.inspect().now(), info.connectionCount(), info.lowWater(), info.highWater());
    synchronized (samples) {
      if (samples.size() == capacity) {
        samples.removeFirst();
      }
      samples.addLast(s);
    }
  }

  void record(TrimReport report) {
    if (report.trigger() != Trigger.MANUAL) {
      return;
    }
    synchronized (operatorRounds) {
      if (operatorRounds.size() == ROUNDS_KEPT) {
        operatorRounds.removeLast();
      }
      operatorRounds.addFirst(report);
    }
  }

  /** The samples, oldest first. */
  List<Sample> samples() {
    synchronized (samples) {
      return new ArrayList<>(samples);
    }
  }

  /** The last rounds someone asked for ({@link Trigger#MANUAL}), newest first. */
  List<TrimReport> operatorRounds() {
    synchronized (operatorRounds) {
      return new ArrayList<>(operatorRounds);
    }
  }

  int capacity() {
    return capacity;
  }

  @Override
  public void destroy() {
    if (sampler != null) {
      sampler.shutdownNow();
    }
    if (listening != null) {
      listening.close();
    }
  }
}
