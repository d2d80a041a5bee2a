package io.connmgr.internal;

import io.connmgr.Trigger;
import io.connmgr.TrimReport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Rounds run so far by trigger, and the reports of the last few, for the statistics view. */
final class RoundHistory {

  private final AtomicLongArray counts = new AtomicLongArray(Trigger.values().length);
  private final int capacity;
  private final ArrayDeque<TrimReport> recent;

  RoundHistory(int capacity) {
    this.capacity = capacity;
    this.recent = new ArrayDeque<>(capacity);
  }

  void add(TrimReport report) {
    counts.incrementAndGet(report.trigger().ordinal());
    if (capacity == 0) {
      return;
    }
    synchronized (recent) {
      if (recent.size() == capacity) {
        recent.removeFirst();
      }
      recent.addLast(report);
    }
  }

  /** Rounds by trigger, every trigger present. */
  Map<Trigger, Long> counts() {
    Map<Trigger, Long> out = new EnumMap<>(Trigger.class);
    for (Trigger trigger : Trigger.values()) {
      out.put(trigger, counts.get(trigger.ordinal()));
    }
    return out;
  }

  /** The kept reports, newest first. */
  List<TrimReport> newestFirst() {
    synchronized (recent) {
      List<TrimReport> copy = new ArrayList<>(recent.size());
      for (Iterator<TrimReport> it = recent.descendingIterator(); it.hasNext(); ) {
        copy.add(it.next());
      }
      return copy;
    }
  }
}
