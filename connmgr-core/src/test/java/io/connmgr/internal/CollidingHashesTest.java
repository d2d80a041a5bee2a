package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.CollidingIds;
import io.connmgr.PeerId;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A peer chooses its own id (an unverified id is its claim), and strings that share a hash code are
 * easy to make: "Aa" and "BB" hash alike, so do any two strings made of as many of either. Java's
 * hash tables keep the keys of a crowded bin in a tree ordered by {@link Comparable#compareTo} when
 * the key's class is comparable with itself, and otherwise search the whole tree: a lookup costs
 * O(log n) among n colliding ids in the first case and O(n) in the second (20 000 colliding keys of
 * a class that is not comparable took 6.8 s to put in a {@code ConcurrentHashMap}, 8 ms as
 * strings). So every type the core keys a hash table by whose hash is a peer id's is comparable
 * with itself, in id order.
 */
class CollidingHashesTest {

  @Test
  void theIdsCollide() {
    List<PeerId> ids = CollidingIds.of(64, 6);
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids.stream().map(PeerId::hashCode).distinct()).hasSize(1);
  }

  /** Whether a hash table can order keys of this class: Comparable of that very class. */
  private static boolean comparableWithItself(Class<?> type) {
    for (Type t : type.getGenericInterfaces()) {
      if (t instanceof ParameterizedType p
          && p.getRawType() == Comparable.class
          && p.getActualTypeArguments()[0] == type) {
        return true;
      }
    }
    return false;
  }

  @Test
  void peerKeysTheEvictionMemorysKeysAreOrderedByIdAndConsistentWithEquals() {
    assertThat(comparableWithItself(PeerKey.class)).isTrue();
    List<PeerId> ids = CollidingIds.of(16, 4);
    List<PeerKey> keys = new ArrayList<>();
    ids.forEach(id -> keys.add(PeerKey.of(id)));
    keys.sort(null);
    assertThat(keys).extracting(PeerKey::id).isSortedAccordingTo(Comparator.naturalOrder());
    for (PeerKey a : keys) {
      for (PeerKey b : keys) {
        assertThat(a.compareTo(b) == 0).isEqualTo(a.equals(b));
      }
      assertThat(a.compareTo(PeerKey.of(PeerId.of(a.id().value())))).isZero();
    }
  }

  @Test
  void peerEntriesTheKeysOfTemporariesAndDecayingTagHoldersAreOrderedById() {
    assertThat(comparableWithItself(PeerEntry.class)).isTrue();
    List<PeerEntry> entries = new ArrayList<>();
    CollidingIds.of(16, 4).forEach(id -> entries.add(new PeerEntry(id, 0)));
    entries.sort(null);
    assertThat(entries).extracting(PeerEntry::id).isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(entries.get(0).compareTo(entries.get(1))).isNegative();
  }
}
