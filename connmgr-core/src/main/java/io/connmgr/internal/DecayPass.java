package io.connmgr.internal;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Collection;
import org.jspecify.annotations.Nullable;

/**
 * The decay pass upkeep runs: each peer's value of each decaying tag catches up on the intervals
 * that ended since it was last decayed (or bumped), in one call of the tag's decay function however
 * many they are.
 *
 * <p>The presets are pure and constant-time: they run on the pass's thread, under the peer's lock.
 * A custom function is user code: it runs on a callback thread, outside the peer's lock, and the
 * pass waits for it at most the callback budget per tag. One that does not return in time is not
 * called again until it does; the peers it did not reach keep their value and catch up once it is
 * back, and the other tags decay meanwhile. Its result is dropped if a bump changed the value while
 * it ran: that bump came after the intervals it decayed. A call that throws leaves the value as it
 * was (the first failure of each tag is logged). Calls from a decay function into {@code trim()},
 * {@code maintain()}, {@code assess()} or {@code emergencyTrim()} are refused, as from every
 * callback.
 */
final class DecayPass {

  private static final System.Logger LOG = System.getLogger(DecayPass.class.getName());

  private final Clock clock;
  private final CallbackSupervisor supervisor;
  private final long budgetNanos;

  DecayPass(Clock clock, CallbackSupervisor supervisor, long budgetNanos) {
    this.clock = clock;
    this.supervisor = supervisor;
    this.budgetNanos = budgetNanos;
  }

  /**
   * Runs one pass. Passes are serialized: {@code maintain()} is public and background upkeep runs
   * it too.
   */
  synchronized void run(Collection<DecayingTagEntry> tags) {
    long now = clock.nanos();
    boolean threadsFree = true;
    for (DecayingTagEntry tag : tags) {
      if (tag.neverDecays() || tag.isHung() || (!tag.hasPresetDecay() && !threadsFree)) {
        continue;
      }
      long lastTick = tag.tickAtOrBefore(now);
      if (lastTick <= tag.lastPassTick()) {
        continue;
      }
      Outcome outcome =
          tag.hasPresetDecay()
              ? decayHolders(tag, lastTick, null)
              : decayOnACallbackThread(tag, lastTick);
      if (outcome == Outcome.DONE) {
        tag.passedTo(lastTick);
      }
      // with every callback thread held, the other custom functions wait for the next pass
      threadsFree &= outcome != Outcome.NO_FREE_THREAD;
    }
  }

  /** How one tag's decay went. */
  private enum Outcome {
    /** Every holder is decayed up to the pass's last interval. */
    DONE,
    /** Some holders were not reached; they catch up in a later pass. */
    UNFINISHED,
    /** No callback thread took the work up within the budget. */
    NO_FREE_THREAD
  }

  private Outcome decayOnACallbackThread(DecayingTagEntry tag, long lastTick) {
    String name = "the decay function of tag '" + tag.name() + "'";
    CallWatch watch = CallWatch.start(supervisor, name, w -> decayHolders(tag, lastTick, w));
    CallWatch.Stall stall;
    try {
      stall = watch.await(budgetNanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.UNFINISHED;
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "connmgr: " + name + " failed; its peers keep their values", e);
      return Outcome.UNFINISHED;
    }
    if (stall == null) {
      return Outcome.DONE;
    }
    LOG.log(
        Level.WARNING,
        "connmgr: upkeep stopped waiting for "
            + stall.describe()
            + " after "
            + Duration.ofNanos(budgetNanos)
            + "; the peers it did not reach catch up later");
    if (!stall.started()) {
      return Outcome.NO_FREE_THREAD;
    }
    tag.markHungCall(); // not called again until the call returns
    return Outcome.UNFINISHED;
  }

  /** Decays every holder; with a watch, each call of the function goes through it. */
  private static Outcome decayHolders(
      DecayingTagEntry tag, long lastTick, @Nullable CallWatch watch) {
    for (PeerEntry entry : tag.holders()) {
      if (watch == null) {
        synchronized (entry) {
          DecayingValue v = carried(tag, entry);
          if (v != null) {
            int decayed = decayed(tag, v.value(), v.lastBumpNanos(), v.decayedTo(), lastTick, null);
            apply(tag, entry, v, decayed, lastTick);
          }
        }
      } else {
        decayOutsideTheLock(tag, entry, lastTick, watch);
      }
    }
    return Outcome.DONE;
  }

  private static void decayOutsideTheLock(
      DecayingTagEntry tag, PeerEntry entry, long lastTick, CallWatch watch) {
    DecayingValue v;
    int value;
    long lastBump;
    long decayedTo;
    synchronized (entry) {
      v = carried(tag, entry);
      if (v == null) {
        return;
      }
      value = v.value();
      lastBump = v.lastBumpNanos();
      decayedTo = v.decayedTo();
    }
    int decayed;
    try {
      decayed = decayed(tag, value, lastBump, decayedTo, lastTick, watch);
    } catch (CallbackFailed e) {
      if (tag.firstFailure()) {
        LOG.log(
            Level.WARNING,
            "connmgr: the decay function of tag '"
                + tag.name()
                + "' threw; "
                + "the values it fails on stay as they are (logged once per tag)",
            e.getCause());
      }
      decayed = value;
    }
    synchronized (entry) {
      if (!entry.isRemoved()
          && entry.decayingValue(tag) == v
          && v.unchangedSince(value, lastBump, decayedTo)) {
        apply(tag, entry, v, decayed, lastTick);
      }
    }
  }

  /** The peer's value of the tag; null, and no longer a holder, if it has none. */
  private static @Nullable DecayingValue carried(DecayingTagEntry tag, PeerEntry entry) {
    DecayingValue v = entry.decayingValue(tag);
    if (entry.isRemoved() || v == null) {
      tag.removeHolder(entry);
      return null;
    }
    return v;
  }

  /** The value after the intervals that ended after {@code decayedTo}, up to {@code lastTick}. */
  private static int decayed(
      DecayingTagEntry tag,
      int value,
      long lastBump,
      long decayedTo,
      long lastTick,
      @Nullable CallWatch watch) {
    long due = (lastTick - decayedTo) / tag.intervalNanos();
    if (due <= 0) {
      return value;
    }
    long firstTick = decayedTo + tag.intervalNanos();
    Duration sinceBump = Duration.ofNanos(firstTick - lastBump);
    if (watch == null) {
      return tag.decay(value, sinceBump, due);
    }
    return watch.callInt(
        "the decay function of tag '" + tag.name() + "'",
        System.nanoTime(),
        () -> decayOrFail(tag, value, sinceBump, due),
        tag::hungCallReturned);
  }

  /** The user's decay function's value; whatever it throws, as a {@link CallbackFailed}. */
  private static int decayOrFail(DecayingTagEntry tag, int value, Duration sinceBump, long due) {
    try {
      return tag.decay(value, sinceBump, due);
    } catch (Throwable e) {
      throw new CallbackFailed(e);
    }
  }

  /** Sets the decayed value, or removes the tag from the peer at 0 or below. */
  private static void apply(
      DecayingTagEntry tag, PeerEntry entry, DecayingValue v, int decayed, long lastTick) {
    v.caughtUpTo(lastTick);
    if (decayed <= 0) {
      entry.removeDecaying(tag);
      tag.removeHolder(entry);
    } else if (decayed != v.value()) {
      entry.setDecayingValue(v, decayed);
    }
  }
}
