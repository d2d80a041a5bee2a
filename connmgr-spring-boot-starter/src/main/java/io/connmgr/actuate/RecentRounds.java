package io.connmgr.actuate;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.TrimReport;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Keeps the reports of the last few rounds, newest first, so health can tell a count that
 * <em>stayed</em> above high water (candidates held back round after round) from one passing
 * spike. Registered with the manager like any listener bean.
 */
public final class RecentRounds implements ConnectionManagerListener {

  private final int capacity;
  private final Deque<TrimReport> reports = new ArrayDeque<>();

  /** Keeps up to {@code capacity} reports. */
  public RecentRounds(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, was " + capacity);
    }
    this.capacity = capacity;
  }

  @Override
  public void onRound(TrimReport report) {
    synchronized (reports) {
      reports.addFirst(report);
      while (reports.size() > capacity) {
        reports.removeLast();
      }
    }
  }

  /** The reports kept, newest first. */
  public List<TrimReport> newestFirst() {
    synchronized (reports) {
      return List.copyOf(new ArrayList<>(reports));
    }
  }
}
