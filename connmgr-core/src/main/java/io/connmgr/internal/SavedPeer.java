package io.connmgr.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A peer's tags (plain and decaying) and typed state as they were when it was evicted, to give back
 * when it reconnects. The state objects themselves are kept, not copies: they are what the
 * application's protocols left in the slots.
 */
final class SavedPeer {

  private final Map<String, Integer> plainTags;
  private final List<DecayingSave> decaying;
  private final Attachments.Slot[] slots;

  private SavedPeer(
      Map<String, Integer> plainTags, List<DecayingSave> decaying, Attachments.Slot[] slots) {
    this.plainTags = plainTags;
    this.decaying = decaying;
    this.slots = slots;
  }

  /** What {@code peer} carries now. */
  static SavedPeer of(PeerEntry peer) {
    synchronized (peer) {
      List<DecayingSave> decaying = new ArrayList<>();
      for (DecayingValue v : peer.decayingValues()) {
        decaying.add(new DecayingSave(v.tag(), v.value()));
      }
      return new SavedPeer(peer.plainTags(), List.copyOf(decaying), peer.stateSlots());
    }
  }

  /**
   * Gives the saved tags and state to {@code peer}; a tag or slot it already has wins, and a
   * decaying tag closed since is left out. The caller holds the peer's monitor.
   */
  void restoreOnto(PeerEntry peer, long nowNanos) {
    plainTags.forEach(
        (name, weight) -> {
          if (!peer.hasTag(name)) {
            peer.setTag(name, weight);
          }
        });
    for (DecayingSave save : decaying) {
      DecayingTagEntry tag = save.tag();
      if (tag.isClosed() || peer.decayingValue(tag) != null) {
        continue;
      }
      DecayingValue v = peer.addDecaying(tag, nowNanos);
      peer.setDecayingValue(v, save.value());
      // as after a bump: intervals that ended before now do not apply to the value given back
      v.caughtUpTo(tag.tickBefore(nowNanos));
      tag.addHolder(peer);
      if (tag.isClosed()) {
        // close() set its flag before stripping holders: it either strips this one or ran
        // before it was added, which this check sees
        peer.removeDecaying(tag);
        tag.removeHolder(peer);
      }
    }
    peer.adoptSlots(slots);
  }

  /** The value one decaying tag had. */
  private record DecayingSave(DecayingTagEntry tag, int value) {}
}
