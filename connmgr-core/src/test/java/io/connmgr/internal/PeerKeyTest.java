package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.PeerId;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** A peer key: equal to the same peer's keys and, as a probe, to the peer's id. */
class PeerKeyTest {

  @Test
  void keysOfTheSamePeerAreEqualWhateverTheIdInstanceAndHashAlike() {
    PeerKey a = PeerKey.of(PeerId.of("peer-a"));
    PeerKey again = PeerKey.of(PeerId.of("peer-a"));
    PeerKey other = PeerKey.of(PeerId.of("peer-b"));

    assertThat(a).isEqualTo(again).hasSameHashCodeAs(again).isNotEqualTo(other);
    assertThat(again).isEqualTo(a);
    assertThat(a.hashCode()).isEqualTo(PeerId.of("peer-a").hashCode());
  }

  @Test
  void aKeyBuiltFromAnEntryCarriesTheHashTakenWhenTheEntryWasBuilt() {
    PeerId id = PeerId.of("peer-a");
    PeerEntry entry = new PeerEntry(id, 0);

    assertThat(entry.key()).isEqualTo(PeerKey.of(id)).hasSameHashCodeAs(id);
    assertThat(entry.key().id()).isSameAs(id);
  }

  @Test
  void asAProbeItFindsAndRemovesThePeersMappingInAMapKeyedByIds() {
    ConcurrentHashMap<PeerId, String> byId = new ConcurrentHashMap<>();
    byId.put(PeerId.of("peer-a"), "a");
    byId.put(PeerId.of("peer-b"), "b");
    PeerKey probe = PeerKey.of(PeerId.of("peer-a")); // an equal id, not the stored instance

    assertThat(byId.remove(probe, "not a's value")).isFalse();
    assertThat(byId.remove(probe, "a")).isTrue();
    assertThat(byId).containsOnlyKeys(PeerId.of("peer-b"));
    assertThat(byId.remove(PeerKey.of(PeerId.of("peer-c")), "b")).isFalse();
  }

  @Test
  void aKeyIsNeverEqualToAnotherPeersIdNorToNull() {
    PeerKey a = PeerKey.of(PeerId.of("peer-a"));

    assertThat(a.equals(PeerId.of("peer-b"))).isFalse();
    assertThat(a.equals(null)).isFalse();
    assertThat(a.equals("peer-a")).isFalse();
  }
}
