package io.connmgr;

import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import io.connmgr.inspect.Assessment;
import io.connmgr.inspect.ConnectionScore;
import io.connmgr.inspect.LeaseInfo;
import io.connmgr.inspect.TagInfo;
import io.connmgr.inspect.VetoInfo;
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
    assertThatNullPointerException()
        .isThrownBy(() -> cm.tagPeer(null, "t", 1))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.untagPeer(null, "t"))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.upsertTag(null, "t", v -> v))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.inspect().tagInfo(null))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.protect(null, "t"))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.unprotect(null, "t"))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.isProtected(null, null))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(null, Direction.INBOUND, "a", why -> {}))
        .withMessageContaining("peer");
  }

  @Test
  void blankPeerIdsCannotEvenBeMade() {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.tagPeer(PeerId.of(" "), "t", 1))
        .withMessageContaining("peer id");
  }

  @Test
  void nullTagNamesAreRefusedNamingTheTag() {
    assertThatNullPointerException()
        .isThrownBy(() -> cm.tagPeer(p, null, 1))
        .withMessageContaining("tag");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.untagPeer(p, null))
        .withMessageContaining("tag");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.upsertTag(p, null, v -> v))
        .withMessageContaining("tag");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.protect(p, null))
        .withMessageContaining("tag");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.unprotect(p, null))
        .withMessageContaining("tag");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "\t\n"})
  void blankTagNamesAreRefusedNamingTheTag(String blank) {
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.tagPeer(p, blank, 1))
        .withMessageContaining("tag")
        .withMessageContaining("blank");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.untagPeer(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.upsertTag(p, blank, v -> v))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.protect(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.unprotect(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.isProtected(p, blank))
        .withMessageContaining("tag");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                cm.registerDecayingTag(
                    blank, Duration.ofSeconds(1), DecayFunctions.none(), BumpFunctions.sum()))
        .withMessageContaining("name");
  }

  @Test
  void refusedCallsChangeNothing() {
    assertThatIllegalArgumentException().isThrownBy(() -> cm.tagPeer(p, "", 1));

    assertThat(cm.inspect().tagInfo(p)).isEmpty();
    assertThat(cm.peerCount()).isZero();
  }

  @Test
  void otherNullArgumentsAreRefusedNamingThem() {
    assertThatNullPointerException()
        .isThrownBy(() -> cm.upsertTag(p, "t", null))
        .withMessageContaining("upsert");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(p, null, "a", why -> {}))
        .withMessageContaining("direction");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(p, Direction.INBOUND, null, why -> {}))
        .withMessageContaining("remoteAddress");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.connectionOpened(p, Direction.INBOUND, "a", null))
        .withMessageContaining("closer");
    assertThatNullPointerException()
        .isThrownBy(
            () -> cm.registerDecayingTag("d", null, DecayFunctions.none(), BumpFunctions.sum()))
        .withMessageContaining("interval");
    assertThatNullPointerException()
        .isThrownBy(
            () -> cm.registerDecayingTag("d", Duration.ofSeconds(1), null, BumpFunctions.sum()))
        .withMessageContaining("decay");
    assertThatNullPointerException()
        .isThrownBy(
            () -> cm.registerDecayingTag("d", Duration.ofSeconds(1), DecayFunctions.none(), null))
        .withMessageContaining("bump");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.addListener(null))
        .withMessageContaining("listener");
  }

  @Test
  void negativeDecayIntervalsAreRefusedNamingTheInterval() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () ->
                cm.registerDecayingTag(
                    "d", Duration.ofSeconds(-1), DecayFunctions.none(), BumpFunctions.sum()))
        .withMessageContaining("interval");
  }

  @Test
  void evictNeedsAReason() {
    ManagedConnection c = closer.open(cm, "p");

    assertThatNullPointerException()
        .isThrownBy(() -> cm.evict(c.id(), null))
        .withMessageContaining("reason");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.evict(c.id(), " "))
        .withMessageContaining("reason");
    assertThat(c.isOpen()).isTrue();
  }

  @Test
  void unknownPeersAreNoOps() {
    PeerId stranger = peer("stranger");

    assertThatCode(
            () -> {
              cm.untagPeer(stranger, "t");
              cm.unprotect(stranger, "t");
              cm.unpin(stranger);
            })
        .doesNotThrowAnyException();

    assertThat(cm.unprotect(stranger, "t")).isFalse();
    assertThat(cm.isProtected(stranger, null)).isFalse();
    assertThat(cm.inspect().tagInfo(stranger)).isEmpty();
    assertThat(cm.peerCount()).as("reads and removals create no entry").isZero();
  }

  @Test
  void removingAnUnknownPeerFromADecayingTagIsANoOp() {
    DecayingTag tag =
        cm.registerDecayingTag(
            "d", Duration.ofSeconds(1), DecayFunctions.none(), BumpFunctions.sum());

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

    assertThatCode(
            () -> {
              s.close();
              s.close();
              c.closed();
              c.closed();
              s.close();
            })
        .doesNotThrowAnyException();

    assertThat(cm.connectionCount()).isZero();
    assertThat(cm.stats().streamCount()).isZero();
  }

  @Test
  void aClosedManagerStillAcceptsWindDownCalls() {
    ManagedConnection c = closer.open(cm, "p");
    cm.tagPeer(p, "t", 1);
    cm.protect(p, "relay");

    cm.close();

    assertThatCode(
            () -> {
              cm.untagPeer(p, "t");
              cm.unprotect(p, "relay");
              c.closed();
            })
        .doesNotThrowAnyException();
    assertThat(cm.connectionCount()).isZero();
    org.assertj.core.api.Assertions.assertThatIllegalStateException()
        .isThrownBy(() -> cm.tagPeer(p, "t", 1));
    org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(cm::trim);
  }

  // --- handles, leases, decaying tags, state ---------------------------------------------------

  @Test
  void openStreamRefusesAMissingOrBlankProtocolAndAMissingDirection() {
    ManagedConnection c = closer.open(cm, "p");

    assertThatNullPointerException()
        .isThrownBy(() -> c.openStream(null, null))
        .withMessageContaining("protocol");
    assertThatNullPointerException()
        .isThrownBy(() -> c.openStream(null, Direction.INBOUND))
        .withMessageContaining("protocol");
    assertThatNullPointerException()
        .isThrownBy(() -> c.openStream("/chat", null))
        .withMessageContaining("direction");
    for (String blank : new String[] {"", " ", "\t"}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> c.openStream(blank, Direction.INBOUND))
          .withMessageContaining("protocol")
          .withMessageContaining("blank");
    }
    assertThat(c.streamCount()).as("nothing recorded").isZero();
    assertThat(cm.stats().streamCount()).isZero();
  }

  @Test
  void leasesRefuseMissingOrNonPositiveDurationsAndMissingListeners() {
    ManagedConnection c = closer.open(cm, "p");
    ManagedStream s = c.openStream("/chat", Direction.INBOUND);

    assertThatNullPointerException()
        .isThrownBy(() -> c.lease(null, LeaseListener.releasing()))
        .withMessageContaining("duration");
    assertThatNullPointerException()
        .isThrownBy(() -> c.lease(Duration.ofSeconds(1), null))
        .withMessageContaining("listener");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> c.lease(Duration.ZERO, LeaseListener.releasing()))
        .withMessageContaining("positive");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> s.lease(Duration.ofSeconds(-1), LeaseListener.releasing()))
        .withMessageContaining("positive");
    assertThatNullPointerException()
        .isThrownBy(() -> s.lease(Duration.ofSeconds(1), null))
        .withMessageContaining("listener");
    assertThat(cm.stats().activeLeases()).isZero();

    Lease lease = c.lease(Duration.ofSeconds(1), LeaseListener.releasing());
    assertThatNullPointerException()
        .isThrownBy(() -> lease.extend(null))
        .withMessageContaining("extension");
    assertThatNullPointerException()
        .isThrownBy(() -> lease.canExtend(null))
        .withMessageContaining("extension");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> lease.extend(Duration.ZERO))
        .withMessageContaining("positive");
  }

  @Test
  void stateAndUpdateRefuseMissingKeysAndFunctionsCreatingNoSlot() {
    ManagedConnection c = closer.open(cm, "p");
    ManagedStream s = c.openStream("/chat", Direction.INBOUND);
    AttachmentKey<StringBuilder> key = AttachmentKey.of("k", StringBuilder::new);

    for (Stateful subject : new Stateful[] {c, s}) {
      assertThatNullPointerException()
          .isThrownBy(() -> subject.state(null))
          .withMessageContaining("key");
    }
    assertThatNullPointerException()
        .isThrownBy(() -> c.update(null, b -> {}))
        .withMessageContaining("key");
    assertThatNullPointerException()
        .isThrownBy(() -> c.update(key, null))
        .withMessageContaining("update");
    assertThatNullPointerException()
        .isThrownBy(() -> s.update(null, b -> {}))
        .withMessageContaining("key");
    assertThatNullPointerException()
        .isThrownBy(() -> s.update(key, null))
        .withMessageContaining("update");
    assertThat(c.attachments()).isEmpty();
    assertThat(s.attachments()).isEmpty();
    assertThatNullPointerException()
        .isThrownBy(() -> cm.updatePeer(p, key, null))
        .withMessageContaining("update");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.peerState(p, null))
        .withMessageContaining("key");
  }

  @Test
  void decayingTagsRefuseMissingPeers() {
    DecayingTag tag =
        cm.registerDecayingTag(
            "d", Duration.ofSeconds(1), DecayFunctions.none(), BumpFunctions.sum());

    assertThatNullPointerException()
        .isThrownBy(() -> tag.bump(null, 1))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> tag.remove(null))
        .withMessageContaining("peer");
    assertThat(cm.peerCount()).isZero();
  }

  @Test
  void theBuilderRefusesMissingPeerListsAndNames() {
    ConnectionManager.Builder b = ConnectionManager.builder();
    assertThatNullPointerException()
        .isThrownBy(() -> b.allow((PeerId[]) null))
        .withMessageContaining("peers");
    assertThatNullPointerException()
        .isThrownBy(() -> b.deny((PeerId[]) null))
        .withMessageContaining("peers");
    assertThatNullPointerException()
        .isThrownBy(() -> b.allow(p, null))
        .withMessageContaining("allowed peer");
    assertThatNullPointerException()
        .isThrownBy(() -> b.scorerWeight(null, 1))
        .withMessageContaining("scorer name");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> b.scorerWeight("s", Double.NaN).build())
        .withMessageContaining("scorerWeight(\"s\") = NaN");
  }

  @Test
  void registrationsRefuseMissingOrBlankNames() {
    assertThatNullPointerException()
        .isThrownBy(() -> cm.registerPeerScorer(null, peer -> 1))
        .withMessageContaining("name");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.registerVeto(" ", (c, r) -> null))
        .withMessageContaining("name");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.registerConnectionScorer("c", null))
        .withMessageContaining("scorer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.registerStreamScorer("s", null))
        .withMessageContaining("scorer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.closeAll(null))
        .withMessageContaining("reason");
    assertThat(cm.inspect().scorers()).isEmpty();
    assertThat(cm.inspect().vetoes()).isEmpty();
  }

  @Test
  void readingsRefuseMissingArguments() {
    TrimReport report = cm.trim();
    assertThat(report.skipped()).containsOnlyKeys(SkipReason.values());
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.inspect().assess().lowest(-1))
        .withMessageContaining("n");
  }

  @Test
  void theHeapWatchRefusesThresholdsOutsideTheUnitIntervalAndAMissingCallback() {
    HeapThresholdSource source = new HeapThresholdSource();
    for (double bad : new double[] {0, 1, -0.5, 1.5, Double.NaN}) {
      assertThatIllegalArgumentException()
          .isThrownBy(() -> source.watch(bad, () -> {}))
          .withMessageContaining("threshold");
    }
    assertThatNullPointerException()
        .isThrownBy(() -> source.watch(0.5, null))
        .withMessageContaining("onPressure");
  }

  @Test
  void valueTypesRefuseMissingPartsNamingThem() {
    java.time.Instant now = java.time.Instant.now();
    assertThatNullPointerException()
        .isThrownBy(() -> new TagInfo(null, 0, java.util.Map.of(), java.util.Map.of()))
        .withMessageContaining("firstSeen");
    assertThatNullPointerException()
        .isThrownBy(() -> new LeaseInfo(now, null, null, now))
        .withMessageContaining("expiresAt");
    assertThatNullPointerException()
        .isThrownBy(() -> new VetoInfo(null, 0, 0, 0))
        .withMessageContaining("name");
    assertThatNullPointerException()
        .isThrownBy(
            () ->
                new EvictionRecord(now, 1, p, Direction.INBOUND, Trigger.OPERATOR, "why", 0, null))
        .withMessageContaining("breakdown");
    assertThatNullPointerException()
        .isThrownBy(() -> new ConnectionScore(1, p, Direction.INBOUND, 0, null, null))
        .withMessageContaining("breakdown");
    assertThatNullPointerException()
        .isThrownBy(
            () -> new ConnectionRefusedException(null, AdmissionLimit.MAX_CONNECTIONS, "full"))
        .withMessageContaining("peer");
    assertThatNullPointerException()
        .isThrownBy(() -> cm.inspect().snapshot().peer(null))
        .withMessageContaining("id");
    assertThatNullPointerException()
        .isThrownBy(() -> new Assessment(null, java.util.List.of()))
        .withMessageContaining("takenAt");
  }
}
