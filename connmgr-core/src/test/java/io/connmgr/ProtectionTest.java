package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Protection: a protected peer's connections are never closed by a round. */
class ProtectionTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm = Managers.manager(clock, 1, 4);
  private final PeerId guarded = peer("guarded");

  @AfterEach
  void closeManager() {
    cm.close();
  }

  @Test
  void protectedPeersSurviveATrim() {
    cm.protect(guarded, "relay");
    ManagedConnection g1 = closer.open(cm, "guarded");
    ManagedConnection g2 = closer.open(cm, "guarded");
    List<ManagedConnection> others = closer.openMany(cm, "other", 3);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(g1.isOpen()).isTrue();
    assertThat(g2.isOpen()).isTrue();
    assertThat(others).allSatisfy(c -> assertThat(c.isOpen()).isFalse());
    assertThat(report.skipped().get(SkipReason.PROTECTED)).isEqualTo(2);
    assertThat(report.reachedTarget()).isFalse();
    assertThat(cm.connectionCount()).isEqualTo(2);
  }

  @Test
  void protectedPeersSurviveAnAutomaticRoundToo() {
    cm.protect(guarded, "relay");
    ManagedConnection g = closer.open(cm, "guarded");
    closer.openMany(cm, "other", 5);
    clock.advance(PAST_GRACE);

    cm.maintain();

    assertThat(g.isOpen()).isTrue();
    assertThat(cm.connectionCount()).isEqualTo(1);
  }

  @Test
  void aProtectedPeerWithTheLowestValueIsStillSkipped() {
    cm.protect(guarded, "relay");
    ManagedConnection g = closer.open(cm, "guarded");
    cm.tagPeer(guarded, "bad", -100);
    closer.openMany(cm, "other", 2);
    clock.advance(PAST_GRACE);

    cm.trim();

    assertThat(g.isOpen()).isTrue();
  }

  @Test
  void aPeerProtectedWhileARoundRunsIsNotClosedByIt() {
    cm.protect(peer("keeper"), "k");
    closer.open(cm, "keeper");
    ManagedConnection later = closer.open(cm, "later");
    clock.advance(java.time.Duration.ofSeconds(1));
    ManagedConnection first = closer.open(cm, "first"); // youngest: closed first
    clock.advance(PAST_GRACE);
    // While the round closes "first", a protocol protects "later", planned to go next.
    closer.beforeClose(
        why -> {
          if (why.peer().equals(peer("first"))) {
            cm.protect(peer("later"), "relay");
          }
        });

    TrimReport report = cm.trim();

    assertThat(first.isOpen()).isFalse();
    assertThat(later.isOpen()).as("protected before the round reached it").isTrue();
    assertThat(report.evicted())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(first.id());
    assertThat(report.skipped().get(SkipReason.PROTECTED)).isEqualTo(2);
  }

  @Test
  void multipleProtectionsEachHoldUntilTheLastIsRemoved() {
    cm.protect(guarded, "relay");
    cm.protect(guarded, "kad");

    assertThat(cm.unprotect(guarded, "relay")).as("kad still protects").isTrue();
    assertThat(cm.isProtected(guarded, null)).isTrue();
    assertThat(cm.isProtected(guarded, "relay")).isFalse();
    assertThat(cm.isProtected(guarded, "kad")).isTrue();

    assertThat(cm.unprotect(guarded, "kad")).as("nothing protects it any more").isFalse();
    assertThat(cm.isProtected(guarded, null)).isFalse();
  }

  @Test
  void unprotectingOnlyTheLastTagExposesThePeerToTrims() {
    cm.protect(guarded, "relay");
    cm.protect(guarded, "kad");
    ManagedConnection g = closer.open(cm, "guarded");
    ManagedConnection keeper = closer.open(cm, "keeper");
    cm.protect(peer("keeper"), "k");
    clock.advance(PAST_GRACE);

    cm.unprotect(guarded, "relay");
    assertThat(cm.trim().skipped().get(SkipReason.PROTECTED)).isEqualTo(2);
    assertThat(g.isOpen()).isTrue();

    cm.unprotect(guarded, "kad");
    TrimReport report = cm.trim();
    assertThat(report.evicted()).extracting(EvictionRecord::connectionId).containsExactly(g.id());
    assertThat(keeper.isOpen()).isTrue();
  }

  @Test
  void protectionIsIdempotentPerTag() {
    cm.protect(guarded, "relay");
    cm.protect(guarded, "relay");

    assertThat(cm.unprotect(guarded, "relay")).isFalse();
    assertThat(cm.isProtected(guarded, null)).isFalse();
    assertThat(cm.isProtected(guarded, "relay")).isFalse();
  }

  @Test
  void unprotectOfATagThePeerDoesNotHaveReportsTheOthers() {
    cm.protect(guarded, "relay");

    assertThat(cm.unprotect(guarded, "never-set")).isTrue();
    assertThat(cm.unprotect(peer("stranger"), "relay")).isFalse();
    assertThat(cm.isProtected(guarded, "relay")).isTrue();
  }

  @Test
  void isProtectedWithNullMeansUnderAnyTag() {
    assertThat(cm.isProtected(guarded, null)).isFalse();

    cm.protect(guarded, "x");

    assertThat(cm.isProtected(guarded, null)).isTrue();
    assertThat(cm.isProtected(guarded, "x")).isTrue();
    assertThat(cm.isProtected(guarded, "y")).isFalse();
    assertThat(cm.isProtected(peer("someone-else"), null)).isFalse();
  }

  @Test
  void protectionOutlivesThePeersConnections() {
    cm.protect(guarded, "relay");
    ManagedConnection first = closer.open(cm, "guarded");
    first.closed();

    assertThat(cm.inspect().tagInfo(guarded))
        .as("the peer entry left with its last connection")
        .isEmpty();
    assertThat(cm.isProtected(guarded, "relay")).isTrue();

    ManagedConnection again = closer.open(cm, "guarded");
    closer.openMany(cm, "other", 2);
    clock.advance(PAST_GRACE);
    cm.trim();

    assertThat(again.isOpen()).isTrue();
  }

  @Test
  void protectingAPeerWithoutConnectionsNeedsNoPeerEntry() {
    cm.protect(guarded, "relay");

    assertThat(cm.isProtected(guarded, "relay")).isTrue();
    assertThat(cm.stats().protectedPeers()).isEqualTo(1);
  }

  @Test
  void pinIsProtectionUnderTheConsolesTag() {
    cm.pin(guarded);

    assertThat(cm.isProtected(guarded, ConnectionManager.PIN_TAG)).isTrue();
    assertThat(cm.isProtected(guarded, "connmgr:pinned")).isTrue();
    assertThat(cm.unpin(guarded)).isFalse();
    assertThat(cm.isProtected(guarded, null)).isFalse();
  }

  @Test
  void snapshotsShowTheProtectionTags() {
    cm.protect(guarded, "relay");
    cm.protect(guarded, "kad");
    closer.open(cm, "guarded");

    assertThat(cm.inspect().snapshot().peer(guarded))
        .get()
        .satisfies(p -> assertThat(p.protections()).containsExactlyInAnyOrder("relay", "kad"));
  }

  @Test
  void listenersHearEachChangeOfProtectionOnce() {
    List<String> heard = new java.util.ArrayList<>();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onProtectionChanged(PeerId peer, String tag, boolean protectedNow) {
            heard.add(peer + " " + tag + " " + protectedNow);
          }
        });
    cm.protect(peer("a"), "relay");
    cm.protect(peer("a"), "relay");
    cm.pin(peer("a"));
    cm.unprotect(peer("a"), "relay");
    cm.unprotect(peer("a"), "relay");
    cm.unpin(peer("b"));

    eventually(
        () ->
            assertThat(heard)
                .containsExactly("a relay true", "a connmgr:pinned true", "a relay false"));
  }
}
