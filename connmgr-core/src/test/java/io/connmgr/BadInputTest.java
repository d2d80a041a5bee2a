package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Bad arguments fail fast naming the argument; unknown peers and connections are no-ops. */
class BadInputTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm = Managers.manager(clock, 1, 10);
  private final PeerId p = peer("p");

  @AfterEach
  void closeManager() {
    cm.close();
  }

  @Test
  void nullPeerIdsAreRefusedNamingThePeer() {
    assertThatNullPointerException().isThrownBy(() -> cm.tagPeer(null, "t", 1))
        .withMessageContaining("peer");
    assertThatNullPointerException().isThrownBy(() -> cm.untagPeer(null, "t"))
        .withMessageContaining("peer");
    assertThatNullPointerException().isThrownBy(() -> cm.upsertTag(null, "t", v -> v))
        .withMessageContaining("peer");
    assertThatNullPointerException().isThrownBy(() -> cm.tagInfo(null))
        .withMessageContaining("peer");
    assertThatNullPointerException().isThrownBy(() -> cm.protect(null, "t"))
        .withMessageContaining("peer");
    assertThatNullPointerException().isThrownBy(() -> cm.unprotect(null, "t"))
        .withMessageContaining("peer");
    assertThatNullPointerException().isThrownBy(() -> cm.isProtected(null, null))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(null, Direction.INBOUND, "a", why -> { }))
        .withMessageContaining("peer");
  }

  @Test
  void blankPeerIdsCannotEvenBeMade() {
    assertThatIllegalArgumentException().isThrownBy(() -> cm.tagPeer(PeerId.of(" "), "t", 1))
        .withMessageContaining("peer id");
  }

  @Test
  void nullTagNamesAreRefusedNamingTheTag() {
    assertThatNullPointerException().isThrownBy(() -> cm.tagPeer(p, null, 1))
        .withMessageContaining("tag");
    assertThatNullPointerException().isThrownBy(() -> cm.untagPeer(p, null))
        .withMessageContaining("tag");
    assertThatNullPointerException().isThrownBy(() -> cm.upsertTag(p, null, v -> v))
        .withMessageContaining("tag");
    assertThatNullPointerException().isThrownBy(() -> cm.protect(p, null))
        .withMessageContaining("tag");
    assertThatNullPointerException().isThrownBy(() -> cm.unprotect(p, null))
        .withMessageContaining("tag");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void blankTagNamesAreRefusedNamingTheTag(String blank) {
    assertThatIllegalArgumentException().isThrownBy(() -> cm.tagPeer(p, blank, 1))
        .withMessageContaining("tag").withMessageContaining("blank");
    assertThatIllegalArgumentException().isThrownBy(() -> cm.untagPeer(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException().isThrownBy(() -> cm.upsertTag(p, blank, v -> v))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException().isThrownBy(() -> cm.protect(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException().isThrownBy(() -> cm.unprotect(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException().isThrownBy(() -> cm.isProtected(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.registerDecayingTag(blank, Duration.ofSeconds(1),
            DecayFunctions.none(), BumpFunctions.sum()))
        .withMessageContaining("name");
  }

  @Test
  void refusedCallsChangeNothing() {
    assertThatIllegalArgumentException().isThrownBy(() -> cm.tagPeer(p, "", 1));

    assertThat(cm.tagInfo(p)).isEmpty();
    assertThat(cm.peerCount()).isZero();
  }

  @Test
  void otherNullArgumentsAreRefusedNamingThem() {
    assertThatNullPointerException().isThrownBy(() -> cm.upsertTag(p, "t", null))
        .withMessageContaining("upsert");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(p, null, "a", why -> { }))
        .withMessageContaining("direction");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(p, Direction.INBOUND, null, why -> { }))
        .withMessageContaining("remoteAddress");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(p, Direction.INBOUND, "a", null))
        .withMessageContaining("closer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.registerDecayingTag("d", null, DecayFunctions.none(),
            BumpFunctions.sum()))
        .withMessageContaining("interval");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.registerDecayingTag("d", Duration.ofSeconds(1), null,
            BumpFunctions.sum()))
        .withMessageContaining("decay");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.registerDecayingTag("d", Duration.ofSeconds(1),
            DecayFunctions.none(), null))
        .withMessageContaining("bump");
    assertThatNullPointerException().isThrownBy(() -> cm.addListener(null))
        .withMessageContaining("listener");
  }

  @Test
  void negativeDecayIntervalsAreRefusedNamingTheInterval() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.registerDecayingTag("d", Duration.ofSeconds(-1),
            DecayFunctions.none(), BumpFunctions.sum()))
        .withMessageContaining("interval");
  }

  @Test
  void evictNeedsAReason() {
    ManagedConnection c = closer.open(cm, "p");

    assertThatNullPointerException().isThrownBy(() -> cm.evict(c.id(), null))
        .withMessageContaining("reason");
    assertThatIllegalArgumentException().isThrownBy(() -> cm.evict(c.id(), " "))
        .withMessageContaining("reason");
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void unknownPeersAreNoOps() {
    PeerId stranger = peer("stranger");

    assertThatCode(() -> {
      cm.untagPeer(stranger, "t");
      cm.unprotect(stranger, "t");
      cm.unpin(stranger);
    }).doesNotThrowAnyException();

    assertThat(cm.unprotect(stranger, "t")).isFalse();
    assertThat(cm.isProtected(stranger, null)).isFalse();
    assertThat(cm.tagInfo(stranger)).isEmpty();
    assertThat(cm.peerCount()).as("reads and removals create no entry").isZero();
  }

  @Test
  void removingAnUnknownPeerFromADecayingTagIsANoOp() {
    DecayingTag tag = cm.registerDecayingTag("d", Duration.ofSeconds(1), DecayFunctions.none(),
        BumpFunctions.sum());

    assertThatCode(() -> tag.remove(peer("stranger"))).doesNotThrowAnyException();
    assertThat(cm.peerCount()).isZero();
  }

  @Test
  void unknownConnectionsAreNoOps() {
    assertThat(cm.evict(42L, "no such connection")).isFalse();
    assertThat(cm.connectionCount()).isZero();
  }

  @Test
  void repeatedTransportCallsAreNoOps() {
    ManagedConnection c = closer.open(cm, "p");
    ManagedStream s = c.openStream("/chat", Direction.INBOUND);

    assertThatCode(() -> {
      s.close();
      s.close();
      c.closed();
      c.closed();
      s.close();
    }).doesNotThrowAnyException();

    assertThat(cm.connectionCount()).isZero();
    assertThat(cm.info().streamCount()).isZero();
  }

  @Test
  void aClosedManagerStillAcceptsWindDownCalls() {
    ManagedConnection c = closer.open(cm, "p");
    cm.tagPeer(p, "t", 1);
    cm.protect(p, "relay");

    cm.close();

    assertThatCode(() -> {
      cm.untagPeer(p, "t");
      cm.unprotect(p, "relay");
      c.closed();
    }).doesNotThrowAnyException();
    assertThat(cm.connectionCount()).isZero();
    org.assertj.core.api.Assertions.assertThatIllegalStateException()
        .isThrownBy(() -> cm.tagPeer(p, "t", 1));
    org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(cm::trim);
  }
}
