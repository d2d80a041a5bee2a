package io.connmgr.internal;

import io.connmgr.BumpFunction;
import io.connmgr.DecayFunction;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The registered decaying tags: bumps, removals, and the decay pass that upkeep runs. */
final class DecayingTags {

  private final Map<String, DecayingTagEntry> byName = new ConcurrentHashMap<>();
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

  DecayingTagEntry register(
      String name, Duration interval, DecayFunction decay, BumpFunction bump) {
    DecayingTagEntry tag = new DecayingTagEntry(name, interval, decay, bump, clock.nanos());
    if (byName.putIfAbsent(name, tag) != null) {
      throw new IllegalArgumentException(
          "a decaying tag named '" + name + "' is already registered");
    }
    return tag;
  }

  void bump(DecayingTagEntry tag, PeerId peer, int delta) {
    ensureNotClosed(tag);
    long now = clock.nanos();
    table.withPeer(
        peer,
        entry -> {
          ensureNotClosed(tag); // close() may have run while this bump waited for the peer
          DecayingValue v = entry.decayingValue(tag);
          if (v == null) {
            v = entry.addDecaying(tag, now);
            tag.addHolder(entry);
          }
          entry.setDecayingValue(v, tag.bumped(v.value(), delta));
          v.bumpedAt(now); // intervals that ended before the bump do not apply to the value it set
          return v;
        });
    if (tag.isClosed()) {
      // close() ran after this value was set and may have missed its holder: strip it as close()
      // would have. The bump came first, so it does not throw.
      remove(tag, peer);
    }
  }

  private static void ensureNotClosed(DecayingTagEntry tag) {
    if (tag.isClosed()) {
      throw new IllegalStateException("decaying tag '" + tag.name() + "' is closed");
    }
  }

  void remove(DecayingTagEntry tag, PeerId peer) {
    table.withExistingPeer(
        peer,
        entry -> {
          entry.removeDecaying(tag);
          tag.removeHolder(entry); // without a value it is no holder, whatever it was before
          return entry;
        });
  }

  void close(DecayingTagEntry tag) {
    if (!tag.markClosed()) {
      return;
    }
    for (PeerEntry entry : tag.holders()) {
      synchronized (entry) {
        if (!entry.isRemoved()) { // a peer that left keeps its tags as they were: records show them
          entry.removeDecaying(tag);
        }
      }
    }
    tag.clearHolders();
    byName.remove(tag.name(), tag);
  }

  /** Runs one decay pass over every registered tag; see {@link DecayPass}. */
  void decay() {
    pass.run(byName.values());
  }
}
