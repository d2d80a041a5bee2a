package io.connmgr.internal;

import io.connmgr.EvictionRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The last N eviction records; readers always get a copy. */
final class EvictionHistory {

  private final int capacity;
  private final ArrayDeque<EvictionRecord> records;
  private long total;

  EvictionHistory(int capacity) {
    this.capacity = capacity;
    this.records = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  synchronized void add(EvictionRecord record) {
    total++;
    if (capacity == 0) {
      return;
    }
    if (records.size() == capacity) {
      records.removeFirst();
    }
    records.addLast(record);
  }

  /** Every record added so far, kept or not. */
  synchronized long total() {
    return total;
  }

  /** Newest first. */
  synchronized List<EvictionRecord> newestFirst() {
    List<EvictionRecord> copy = new ArrayList<>(records.size());
    for (Iterator<EvictionRecord> it = records.descendingIterator(); it.hasNext(); ) {
      copy.add(it.next());
    }
    return copy;
  }
}
