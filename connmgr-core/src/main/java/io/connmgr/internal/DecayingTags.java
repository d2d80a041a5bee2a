package io.connmgr.internal;

import io.connmgr.BumpFunction;
import io.connmgr.DecayFunction;
import io.connmgr.DecayFunctions;
import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/** The registered decaying tags: bumps, removals, and the decay pass that upkeep runs. */
final class DecayingTags {

  private final Map<String, DecayingTagImpl> byName = new ConcurrentHashMap<>();
  private final PeerTable table;
  private final Clock clock;

  DecayingTags(PeerTable table, Clock clock) {
    this.table = table;
    this.clock = clock;
  }

  boolean isRegistered(String name) {
    return !byName.isEmpty() && byName.containsKey(name);
  }

  DecayingTag register(String name, Duration interval, DecayFunction decay, BumpFunction bump) {
    DecayingTagImpl tag = new DecayingTagImpl(this, name, interval, decay, bump, clock.nanos());
    if (byName.putIfAbsent(name, tag) != null) {
      throw new IllegalArgumentException("a decaying tag named '" + name + "' is already registered");
    }
    return tag;
  }

  void bump(DecayingTagImpl tag, PeerId peer, int delta) {
    ensureNotClosed(tag);
    long now = clock.nanos();
    table.withPeer(peer, entry -> {
      ensureNotClosed(tag); // close() may have run while this bump waited for the peer
      PeerEntry.DecayingValue v = entry.decayingValue(tag);
      if (v == null) {
        v = entry.addDecaying(tag, now);
        tag.holders.add(entry);
      }
      entry.setDecayingValue(v, tag.bump.bump(v.value, delta));
      v.lastBumpNanos = now;
      return v;
    });
    if (tag.closed) {
      // close() ran after this value was set and may have missed its holder: strip it as close()
      // would have. The bump came first, so it does not throw.
      remove(tag, peer);
    }
  }

  private static void ensureNotClosed(DecayingTagImpl tag) {
    if (tag.closed) {
      throw new IllegalStateException("decaying tag '" + tag.name() + "' is closed");
    }
  }

  void remove(DecayingTagImpl tag, PeerId peer) {
    table.withExistingPeer(peer, entry -> {
      entry.removeDecaying(tag);
      tag.holders.remove(entry); // without a value it is no holder, whatever it was before
      return entry;
    });
  }

  void close(DecayingTagImpl tag) {
    if (tag.closed) {
      return;
    }
    tag.closed = true;
    for (PeerEntry entry : tag.holders) {
      synchronized (entry) {
        entry.removeDecaying(tag);
      }
    }
    tag.holders.clear();
    byName.remove(tag.name(), tag);
  }

  /**
   * Applies each tag's decay for every whole interval elapsed since its last decay, in one step
   * per peer however many intervals elapsed. Passes
   * are serialized: {@code maintain()} is public and background upkeep runs it too, and two
   * overlapping passes would both see the same intervals due and apply them twice.
   */
  synchronized void decay() {
    long now = clock.nanos();
    for (DecayingTagImpl tag : byName.values()) {
      if (DecayFunctions.isNone(tag.decay)) {
        continue;
      }
      long due = (now - tag.lastDecayNanos) / tag.intervalNanos;
      if (due <= 0) {
        continue;
      }
      long firstTick = tag.lastDecayNanos + tag.intervalNanos;
      for (PeerEntry entry : tag.holders) {
        decay(tag, entry, firstTick, due);
      }
      tag.lastDecayNanos += due * tag.intervalNanos;
    }
  }

  /**
   * Applies the intervals ending at {@code firstTick}, {@code firstTick + interval}, ... ({@code
   * due} of them) to one peer's value, in one call of the decay function's catch-up; intervals
   * that ended before the value's last bump do not apply to it. The presets, pure and constant
   * time, run under the peer's lock; a custom function runs outside it, and its result is dropped
   * if a bump changed the value meanwhile, since that bump came after these intervals.
   */
  private static void decay(DecayingTagImpl tag, PeerEntry entry, long firstTick, long due) {
    if (tag.presetDecay) {
      synchronized (entry) {
        PeerEntry.DecayingValue v = carried(tag, entry);
        if (v != null) {
          apply(tag, entry, v, decayed(tag, v.value, v.lastBumpNanos, firstTick, due));
        }
      }
      return;
    }
    PeerEntry.DecayingValue v;
    int value;
    long lastBump;
    synchronized (entry) {
      v = carried(tag, entry);
      if (v == null) {
        return;
      }
      value = v.value;
      lastBump = v.lastBumpNanos;
    }
    int decayed = decayed(tag, value, lastBump, firstTick, due);
    synchronized (entry) {
      if (!entry.removed && entry.decayingValue(tag) == v && v.value == value
          && v.lastBumpNanos == lastBump) {
        apply(tag, entry, v, decayed);
      }
    }
  }

  /** The peer's value of the tag; null, and no longer a holder, if it has none. */
  private static PeerEntry.@Nullable DecayingValue carried(DecayingTagImpl tag, PeerEntry entry) {
    PeerEntry.DecayingValue v = entry.decayingValue(tag);
    if (entry.removed || v == null) {
      tag.holders.remove(entry);
      return null;
    }
    return v;
  }

  /** The value after the intervals that ended at or after the last bump. */
  private static int decayed(DecayingTagImpl tag, int value, long lastBump, long firstTick,
      long due) {
    long skipped = lastBump <= firstTick ? 0
        : Math.min(due, ceilDiv(lastBump - firstTick, tag.intervalNanos));
    if (skipped == due) {
      return value;
    }
    long first = firstTick + skipped * tag.intervalNanos;
    return tag.decay.decay(value, Duration.ofNanos(first - lastBump), tag.interval(),
        due - skipped);
  }

  /** Sets the decayed value, or removes the tag from the peer at 0 or below. */
  private static void apply(DecayingTagImpl tag, PeerEntry entry, PeerEntry.DecayingValue v,
      int decayed) {
    if (decayed <= 0) {
      entry.removeDecaying(tag);
      tag.holders.remove(entry);
    } else if (decayed != v.value) {
      entry.setDecayingValue(v, decayed);
    }
  }

  private static long ceilDiv(long x, long y) {
    return -Math.floorDiv(-x, y);
  }
}
