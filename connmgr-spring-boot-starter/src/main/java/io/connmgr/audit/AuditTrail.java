package io.connmgr.audit;

import io.connmgr.Registration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The operator actions on record, newest first, in a history of their own: bounded by its own size
 * and never shared with the eviction history, so however many rounds run, operator actions stay.
 * Refused attempts (no access, an unverified id) are kept in a second ring of the same size, so
 * however many refusals a user piles up, they never push an action that was carried out or tried
 * out of the trail; {@link #entries()} reads both, merged. Each entry is also logged at INFO on the
 * logger {@value #LOGGER}, for whoever keeps logs longer than memory does, and passed to each
 * subscriber (the starter's metrics count them).
 */
public final class AuditTrail {

  /** The logger every entry goes to, at INFO. */
  public static final String LOGGER = "connmgr.audit";

  /** The size of the history unless configured ({@code connmgr.operator.audit-size}). */
  public static final int DEFAULT_SIZE = 1000;

  private static final Log LOG = LogFactory.getLog(LOGGER);

  private final int size;
  private final InstantSource clock;
  private final Object lock = new Object();
  // guarded by lock: actions carried out or tried, and refused attempts, each newest first
  private final ArrayDeque<Numbered> actions = new ArrayDeque<>();
  private final ArrayDeque<Numbered> refusals = new ArrayDeque<>();
  private long recorded; // guarded by lock
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

  /**
   * Records an action, logs it and tells the subscribers; returns the entry. A refused one goes to
   * the refusals' ring.
   */
  public AuditEntry record(
      Operator who, OperatorAction action, String target, AuditResult result, String outcome) {
    AuditEntry entry =
        new AuditEntry(clock.instant(), who.name(), who.source(), action, target, result, outcome);
    synchronized (lock) {
      ArrayDeque<Numbered> ring = result == AuditResult.REFUSED ? refusals : actions;
      ring.addFirst(new Numbered(recorded++, entry));
      if (ring.size() > size) {
        ring.removeLast();
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

  /** A copy of the entries, actions and refusals merged, newest first. */
  public List<AuditEntry> entries() {
    List<Numbered> all;
    synchronized (lock) {
      all = new ArrayList<>(actions.size() + refusals.size());
      all.addAll(actions);
      all.addAll(refusals);
    }
    all.sort(Comparator.comparingLong(Numbered::number).reversed());
    return all.stream().map(Numbered::entry).toList();
  }

  /** How many actions the trail keeps at most, and how many refusals besides. */
  public int size() {
    return size;
  }

  /** Calls {@code subscriber} with every later entry; closing the result stops that. */
  public Registration subscribe(Consumer<AuditEntry> subscriber) {
    Objects.requireNonNull(subscriber, "subscriber");
    subscribers.add(subscriber);
    return () -> subscribers.remove(subscriber);
  }

  /** An entry with its place in the order of recording. */
  private record Numbered(long number, AuditEntry entry) {}
}
