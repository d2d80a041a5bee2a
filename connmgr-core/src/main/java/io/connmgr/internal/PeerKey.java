package io.connmgr.internal;

import io.connmgr.PeerId;
import org.jspecify.annotations.Nullable;

/**
 * A peer id with its hash code taken once, so that a hash map keyed by it never reads the id to
 * hash it. A peer's entry takes the hash when it is built, where the id was just hashed anyway; a
 * close far later, on a peer whose id and its string have long left the cache, then finds the
 * peer's bins without two cache misses on them (a round of 50 000 closes spent 8 % of its time in
 * {@link String#hashCode} before).
 *
 * <p>It is two keys in one. As the key of the eviction memory's index, it equals another key of the
 * same peer. As a probe into a map keyed by {@link PeerId} (the peers table), it equals that peer's
 * id: a map looks a key up by {@code probe.equals(storedKey)} ({@link java.util.Map}'s contract),
 * so the probe finds the id's mapping without hashing the id. It never goes into such a map itself.
 * Where ids share a hash code the map keeps them in a tree only an id can search, so the peers
 * table probes by key only for a peer whose hash no other peer had when it came (see {@code
 * PeerTable.newEntry}).
 */
final class PeerKey implements Comparable<PeerKey> {

  private final PeerId id;
  private final int hash;

  private PeerKey(PeerId id, int hash) {
    this.id = id;
    this.hash = hash;
  }

  /** The key of {@code id}, hashing it now. */
  static PeerKey of(PeerId id) {
    return new PeerKey(id, id.hashCode());
  }

  /** The key of {@code id} whose hash code, taken earlier, is {@code hash}. */
  static PeerKey of(PeerId id, int hash) {
    return new PeerKey(id, hash);
  }

  PeerId id() {
    return id;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** True for a key of the same peer, and for the peer's id itself (see the class comment). */
  @Override
  public boolean equals(@Nullable Object o) {
    if (o == id) {
      return true; // the peer's own id, as the peers table holds it: decided without reading it
    }
    if (o instanceof PeerKey other) {
      return hash == other.hash && (id == other.id || id.equals(other.id));
    }
    return id.equals(o);
  }

  /**
   * In id order, consistent with {@link #equals} between keys. A hash table keeps the keys of a
   * crowded bin in a tree ordered by this; without it, a bin of n ids that share a hash code (a
   * peer chooses its id, and such ids are easy to make) is searched whole at each lookup.
   */
  @Override
  public int compareTo(PeerKey other) {
    return id.compareTo(other.id);
  }

  @Override
  public String toString() {
    return id.toString();
  }
}
