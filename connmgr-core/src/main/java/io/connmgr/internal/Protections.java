package io.connmgr.internal;

import io.connmgr.PeerId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** Which peers are protected, under which tags. Independent of connections: it outlives them. */
final class Protections {

  private final Map<PeerId, Set<String>> byPeer = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();

  /**
   * Counts protect and unprotect calls, bumped (by {@link #markChanged()}) once the change is in
   * everywhere, peer entries' flags included: a reader that sees the same count before and after a
   * scan knows no call completed in between.
   */
  long changes() {
    return changes.get();
  }

  /** Records that a protect or unprotect is complete. */
  void markChanged() {
    changes.incrementAndGet();
  }

  /** Adds one tag; returns whether the peer was not protected under it before. */
  boolean protect(PeerId peer, String tag) {
    return add(peer, tag);
  }

  private boolean add(PeerId peer, String tag) {
    boolean[] added = new boolean[1];
    byPeer.compute(
        peer,
        (k, tags) -> {
          if (tags != null && tags.contains(tag)) {
            return tags;
          }
          Set<String> next = tags == null ? new HashSet<>() : new HashSet<>(tags);
          next.add(tag);
          added[0] = true;
          return Set.copyOf(next);
        });
    return added[0];
  }

  /** Removes one tag; returns whether other tags still protect the peer. */
  boolean unprotect(PeerId peer, String tag) {
    return remove(peer, tag);
  }

  private boolean remove(PeerId peer, String tag) {
    Set<String> left =
        byPeer.computeIfPresent(
            peer,
            (k, tags) -> {
              if (!tags.contains(tag)) {
                return tags;
              }
              Set<String> next = new HashSet<>(tags);
              next.remove(tag);
              return next.isEmpty() ? null : Set.copyOf(next);
            });
    return left != null;
  }

  /** Whether the peer is protected under {@code tag}, or under any tag when it is null. */
  boolean isProtected(PeerId peer, @Nullable String tag) {
    if (byPeer.isEmpty()) {
      return false;
    }
    Set<String> tags = byPeer.get(peer);
    return tags != null && (tag == null || tags.contains(tag));
  }

  Set<String> tags(PeerId peer) {
    Set<String> tags = byPeer.get(peer);
    return tags == null ? Set.of() : tags;
  }

  int protectedPeers() {
    return byPeer.size();
  }

  Map<PeerId, Set<String>> all() {
    return Map.copyOf(byPeer);
  }
}
