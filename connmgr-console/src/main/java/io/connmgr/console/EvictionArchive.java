package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.ConnectionManagerListener;
import io.connmgr.EvictionRecord;
import io.connmgr.Registration;
import io.connmgr.Trigger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;

/**
 * The console's own eviction history, longer than the manager's and in two rings: operator
 * evictions and the evictions of operator-triggered rounds ({@link Trigger#OPERATOR}, {@link
 * Trigger#MANUAL}) apart from automatic ones, so that a busy watermark never pushes an operator's
 * eviction out before anyone looks for it. Counts every eviction by trigger since the console
 * started (the records the manager held then included). Both rings are bounded and read from
 * copies.
 */
final class EvictionArchive implements InitializingBean, DisposableBean {

  private final ConnectionManager manager;
  private final int capacity;
  private final ArrayDeque<EvictionRecord> operator;
  private final ArrayDeque<EvictionRecord> automatic;
  private final AtomicLongArray totals = new AtomicLongArray(Trigger.values().length);
  private @Nullable Registration listening;

  EvictionArchive(ConnectionManager manager, int capacity) {
    if (capacity < 1) {
      throw new IllegalStateException(
          "connmgr.console.evictions-kept must be at least 1, was " + capacity);
    }
    this.manager = manager;
    this.capacity = capacity;
    this.operator = new ArrayDeque<>();
    this.automatic = new ArrayDeque<>();
  }

  /** Whether a trigger is an operator's: an eviction or a round someone asked for. */
  static boolean byOperator(Trigger trigger) {
    return trigger == Trigger.OPERATOR || trigger == Trigger.MANUAL;
  }

  @Override
  public void afterPropertiesSet() {
    listening =
        manager.addListener(
            new ConnectionManagerListener() {
              @Override
              public void onEviction(EvictionRecord record) {
                add(record);
              }
            });
    Set<Long> seen = new HashSet<>();
    all().forEach(r -> seen.add(r.connectionId()));
    List<EvictionRecord> earlier = new ArrayList<>(manager.inspect().evictionHistory());
    for (int i = earlier.size() - 1; i >= 0; i--) { // oldest first, as they happened
      EvictionRecord r = earlier.get(i);
      if (!seen.contains(r.connectionId())) {
        add(r);
      }
    }
  }

  void add(EvictionRecord record) {
    totals.incrementAndGet(record.trigger().ordinal());
    ArrayDeque<EvictionRecord> ring = byOperator(record.trigger()) ? operator : automatic;
    synchronized (this) {
      if (ring.size() == capacity) {
        ring.removeFirst();
      }
      ring.addLast(record);
    }
  }

  /** Every record kept, newest first. */
  List<EvictionRecord> all() {
    EvictionRecord[] a;
    EvictionRecord[] b;
    synchronized (this) {
      a = operator.toArray(new EvictionRecord[0]);
      b = automatic.toArray(new EvictionRecord[0]);
    }
    List<EvictionRecord> out = new ArrayList<>(a.length + b.length);
    int i = a.length - 1;
    int j = b.length - 1;
    while (i >= 0 || j >= 0) {
      if (j < 0 || (i >= 0 && !a[i].at().isBefore(b[j].at()))) {
        out.add(a[i--]);
      } else {
        out.add(b[j--]);
      }
    }
    return out;
  }

  /** The newest records of operators' evictions and rounds, at most {@code n}. */
  List<EvictionRecord> newestByOperator(int n) {
    List<EvictionRecord> out = new ArrayList<>(n);
    synchronized (this) {
      var it = operator.descendingIterator();
      while (it.hasNext() && out.size() < n) {
        out.add(it.next());
      }
    }
    return out;
  }

  /**
   * The record of one connection's eviction, if kept; the manager's own history is asked too, since
   * its listeners (and so this archive) may hear of an eviction a moment after it.
   */
  Optional<EvictionRecord> find(long connectionId) {
    Optional<EvictionRecord> kept = findKept(connectionId);
    return kept.isPresent()
        ? kept
        : manager.inspect().evictionHistory().stream()
            .filter(r -> r.connectionId() == connectionId)
            .findFirst();
  }

  private Optional<EvictionRecord> findKept(long connectionId) {
    synchronized (this) {
      for (ArrayDeque<EvictionRecord> ring : List.of(operator, automatic)) {
        var it = ring.descendingIterator();
        while (it.hasNext()) {
          EvictionRecord r = it.next();
          if (r.connectionId() == connectionId) {
            return Optional.of(r);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** Evictions by trigger since the console started, every trigger listed. */
  Map<Trigger, Long> totals() {
    Map<Trigger, Long> m = new EnumMap<>(Trigger.class);
    for (Trigger t : Trigger.values()) {
      m.put(t, totals.get(t.ordinal()));
    }
    return m;
  }

  int capacity() {
    return capacity;
  }

  @Override
  public void destroy() {
    if (listening != null) {
      listening.close();
    }
  }
}
