package io.connmgr.internal;

import io.connmgr.BumpFunction;
import io.connmgr.DecayFunction;
import io.connmgr.DecayingTag;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The registered decaying tags: bumps, removals, and the decay pass that upkeep runs. */
final class DecayingTags {

  private final Map<String, DecayingTagImpl> byName = new ConcurrentHashMap<>();
  private final PeerTable table;
  private final Clock clock;
  private final DecayPass pass;

  /**
   * @param supervisor where custom decay functions run
   * @param budgetNanos how long a pass waits for a custom decay function
   */
  DecayingTags(PeerTable table, Clock clock, CallbackSupervisor supervisor, long budgetNanos) {
    this.table = table;
    this.clock = clock;
    this.pass = new DecayPass(clock, supervisor, budgetNanos);
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
      // intervals that ended before the bump do not apply to the value it set
      v.decayedTo = Math.max(v.decayedTo, tag.tickBefore(now));
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

  /** Runs one decay pass over every registered tag; see {@link DecayPass}. */
  void decay() {
    pass.run(byName.values());
  }
}
