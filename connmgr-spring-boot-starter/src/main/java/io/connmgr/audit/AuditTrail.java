package io.connmgr.audit;

import io.connmgr.Registration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The operator actions on record, newest first, in a history of their own: bounded by its own size
 * and never shared with the eviction history, so however many rounds run, operator actions stay.
 * Each entry is also logged at INFO on the logger {@value #LOGGER}, for whoever keeps logs longer
 * than memory does, and passed to each subscriber (the starter's metrics count them).
 */
public final class AuditTrail {

  /** The logger every entry goes to, at INFO. */
  public static final String LOGGER = "connmgr.audit";

  /** The size of the history unless configured ({@code connmgr.operator.audit-size}). */
  public static final int DEFAULT_SIZE = 1000;

  private static final Log LOG = LogFactory.getLog(LOGGER);

  private final int size;
  private final InstantSource clock;
  private final ArrayDeque<AuditEntry> entries = new ArrayDeque<>();
  private final List<Consumer<AuditEntry>> subscribers = new CopyOnWriteArrayList<>();

  /**
   * A trail keeping the last {@code size} entries.
   *
   * @throws IllegalArgumentException if {@code size} is not positive
   */
  public AuditTrail(int size, InstantSource clock) {
    if (size <= 0) {
      throw new IllegalArgumentException("audit trail size must be positive, was " + size);
    }
    this.size = size;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Records an action, logs it and tells the subscribers; returns the entry. */
  public AuditEntry record(
      Operator who, OperatorAction action, String target, boolean succeeded, String outcome) {
    AuditEntry entry =
        new AuditEntry(
            clock.instant(), who.name(), who.source(), action, target, succeeded, outcome);
    synchronized (entries) {
      entries.addFirst(entry);
      while (entries.size() > size) {
        entries.removeLast();
      }
    }
    LOG.info(entry);
    for (Consumer<AuditEntry> subscriber : subscribers) {
      try {
        subscriber.accept(entry);
      } catch (RuntimeException e) {
        LOG.warn("an audit trail subscriber failed on an entry: " + e);
      }
    }
    return entry;
  }

  /** A copy of the entries, newest first. */
  public List<AuditEntry> entries() {
    synchronized (entries) {
      return List.copyOf(new ArrayList<>(entries));
    }
  }

  /** How many entries the trail keeps at most. */
  public int size() {
    return size;
  }

  /** Calls {@code subscriber} with every later entry; closing the result stops that. */
  public Registration subscribe(Consumer<AuditEntry> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }
}
