package io.connmgr;

import static io.connmgr.Managers.GRACE;
import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import io.connmgr.inspect.TagInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain tags, tag info, temporary entries, and what goes when a peer leaves. */
class TagTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm = Managers.manager(clock, 1, 10);
  private final PeerId p = peer("p");

  @AfterEach
  void closeManager() {
    cm.close();
  }

  private TagInfo info(PeerId id) {
    return cm.inspect().tagInfo(id).orElseThrow(() -> new AssertionError("no tag info for " + id));
  }

  @Test
  void tagsSumIntoThePeersValue() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", 5);
    cm.tagPeer(p, "b", -2);
    cm.tagPeer(p, "c", 10);

    assertThat(info(p).value()).isEqualTo(13);
    assertThat(info(p).tags()).isEqualTo(Map.of("a", 5, "b", -2, "c", 10));
  }

  @Test
  void taggingAgainReplacesTheWeight() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", 5);
    cm.tagPeer(p, "a", 7);

    assertThat(info(p).value()).isEqualTo(7);
    assertThat(info(p).tags()).containsExactly(Map.entry("a", 7));
  }

  @Test
  void untagRemovesOnlyThatTag() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", 5);
    cm.tagPeer(p, "b", 3);

    cm.untagPeer(p, "a");
    cm.untagPeer(p, "a");
    cm.untagPeer(p, "never-set");

    assertThat(info(p).value()).isEqualTo(3);
    assertThat(info(p).tags()).containsOnlyKeys("b");
  }

  @Test
  void aTagMovedWhenHolesWereClosedIsGoneOnceRemovedAndComesBackFromZero() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", 1);
    cm.tagPeer(p, "b", 2);
    cm.tagPeer(p, "c", 40);
    cm.untagPeer(p, "a");
    cm.untagPeer(p, "b"); // two holes, one tag: "c" moves down to the first slot

    cm.untagPeer(p, "c");
    assertThat(info(p).value()).isZero();
    assertThat(info(p).tags()).isEmpty();

    cm.upsertTag(p, "c", v -> v + 1);
    assertThat(info(p).tags()).isEqualTo(Map.of("c", 1));
    assertThat(info(p).value()).isEqualTo(1);
  }

  @Test
  void threadsChangingTagsOfOnePeerLoseNoChangeAcrossFieldsArraysAndCompaction() throws Exception {
    // four threads, each with three counted tags and one that comes and goes: up to sixteen tags
    // on one peer, so the entry's own fields, its arrays past them and their compaction all race
    closer.open(cm, "p");
    int threads = 4;
    int rounds = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    Thread[] workers = new Thread[threads];
    Throwable[] failed = new Throwable[1];
    for (int t = 0; t < threads; t++) {
      String own = "w" + t + "-";
      workers[t] =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < rounds; i++) {
                    cm.upsertTag(p, own + (i % 3), v -> v + 1);
                    if (i % 2 == 0) {
                      cm.tagPeer(p, own + "scratch", 1_000);
                    } else {
                      cm.untagPeer(p, own + "scratch");
                    }
                  }
                } catch (Throwable e) {
                  failed[0] = e;
                }
              });
      workers[t].start();
    }
    start.countDown();
    for (Thread w : workers) {
      w.join();
    }

    assertThat(failed[0]).isNull();
    Map<String, Integer> expected = new HashMap<>();
    for (int t = 0; t < threads; t++) {
      for (int k = 0; k < 3; k++) {
        expected.put("w" + t + "-" + k, rounds / 3 + (k < rounds % 3 ? 1 : 0));
      }
    }
    assertThat(info(p).tags()).isEqualTo(expected); // every scratch tag ended removed
    assertThat(info(p).value()).isEqualTo(threads * rounds);
  }

  @Test
  void manyTagsComeAndGoWithTheirWeights() {
    closer.open(cm, "p");
    for (int i = 0; i < 12; i++) {
      cm.tagPeer(p, "t" + i, i);
    }
    for (int i = 0; i < 12; i += 3) {
      cm.untagPeer(p, "t" + i);
    }
    cm.upsertTag(p, "t4", v -> v * 10);
    cm.tagPeer(p, "t0", 100);

    assertThat(info(p).tags())
        .isEqualTo(
            Map.of(
                "t1", 1, "t2", 2, "t4", 40, "t5", 5, "t7", 7, "t8", 8, "t10", 10, "t11", 11, "t0",
                100));
    assertThat(info(p).value()).isEqualTo(1 + 2 + 40 + 5 + 7 + 8 + 10 + 11 + 100);
  }

  @Test
  void upsertBeforeAConnectionStartsFromZeroAndSurvivesTheConnection() {
    cm.upsertTag(p, "t", v -> v + 1);
    cm.upsertTag(p, "t", v -> v + 1);
    assertThat(info(p).value()).isEqualTo(2);

    closer.open(cm, "p");
    cm.upsertTag(p, "t", v -> v * 10);

    assertThat(info(p).tags()).containsExactly(Map.entry("t", 20));
    assertThat(info(p).value()).isEqualTo(20);
  }

  @Test
  void upsertAfterAConnectionSeesTheCurrentWeight() {
    closer.open(cm, "p");
    cm.tagPeer(p, "t", 4);

    cm.upsertTag(p, "t", v -> v - 1);
    cm.upsertTag(p, "other", v -> v + 7);

    assertThat(info(p).tags()).isEqualTo(Map.of("t", 3, "other", 7));
    assertThat(info(p).value()).isEqualTo(10);
  }

  @Test
  void tagInfoReportsFirstSeenValueTagsAndConnections() {
    Instant first = clock.instant();
    cm.tagPeer(p, "a", 1);
    clock.advance(Duration.ofSeconds(3));
    ManagedConnection c1 = closer.open(cm, "p");
    clock.advance(Duration.ofSeconds(2));
    ManagedConnection c2 = closer.open(cm, "p");

    TagInfo info = info(p);

    assertThat(info.firstSeen()).isEqualTo(first);
    assertThat(info.value()).isEqualTo(1);
    assertThat(info.connections())
        .isEqualTo(Map.of(c1.id(), first.plusSeconds(3), c2.id(), first.plusSeconds(5)));
  }

  @Test
  void tagInfoOfAnUnknownPeerIsEmpty() {
    assertThat(cm.inspect().tagInfo(peer("unknown"))).isEmpty();
  }

  @Test
  void taggingAPeerWithoutConnectionCreatesATemporaryEntry() {
    cm.tagPeer(p, "a", 3);

    assertThat(info(p).connections()).isEmpty();
    assertThat(info(p).value()).isEqualTo(3);
    assertThat(cm.peerCount()).isEqualTo(1);
    assertThat(cm.connectionCount()).isZero();
    assertThat(cm.inspect().snapshot().peer(p))
        .get()
        .satisfies(s -> assertThat(s.connections().isEmpty()).isTrue());
  }

  @Test
  void aConnectionTurnsATemporaryEntryIntoANormalOneKeepingItsTags() {
    Instant first = clock.instant();
    cm.tagPeer(p, "a", 3);
    clock.advance(Duration.ofSeconds(5));

    closer.open(cm, "p");
    clock.advance(GRACE.multipliedBy(3));
    cm.maintain();
    cm.trim();

    assertThat(info(p).tags()).containsExactly(Map.entry("a", 3));
    assertThat(info(p).firstSeen()).isEqualTo(first);
    assertThat(cm.inspect().snapshot().peer(p))
        .get()
        .satisfies(s -> assertThat(s.connections().isEmpty()).isFalse());
  }

  @Test
  void maintainDropsATemporaryEntryOnceOlderThanTheGracePeriod() {
    cm.tagPeer(p, "a", 3);

    clock.advance(GRACE);
    cm.maintain();
    assertThat(cm.inspect().tagInfo(p)).as("exactly grace-period old: kept").isPresent();

    clock.advance(Duration.ofMillis(1));
    cm.maintain();
    assertThat(cm.inspect().tagInfo(p)).isEmpty();
    assertThat(cm.peerCount()).isZero();
  }

  @Test
  void trimDropsTemporaryEntriesOlderThanTheGracePeriodFirst() {
    cm.tagPeer(peer("temp-old"), "a", 100);
    clock.advance(Duration.ofSeconds(10));
    cm.upsertTag(peer("temp-young"), "a", v -> v + 1);
    clock.advance(Duration.ofSeconds(11)); // temp-old is 21 s old, temp-young 11 s

    TrimReport report = cm.trim();

    assertThat(report.evicted()).isEmpty();
    assertThat(cm.inspect().tagInfo(peer("temp-old"))).isEmpty();
    assertThat(cm.inspect().tagInfo(peer("temp-young"))).isPresent();
    assertThat(cm.peerCount()).isEqualTo(1);
  }

  @Test
  void aTemporaryEntryThatGotAConnectionIsNeverDroppedAsTemporary() {
    cm.tagPeer(p, "a", 3);
    ManagedConnection c = closer.open(cm, "p");
    clock.advance(PAST_GRACE.multipliedBy(2));

    cm.maintain();

    assertThat(c.isOpen()).isTrue();
    assertThat(info(p).tags()).containsEntry("a", 3);
  }

  @Test
  void aTemporaryEntryComesBackFreshIfTaggedAgainAfterBeingDropped() {
    cm.tagPeer(p, "a", 3);
    clock.advance(PAST_GRACE);
    cm.maintain();

    cm.tagPeer(p, "b", 1);

    assertThat(info(p).tags()).containsExactly(Map.entry("b", 1));
    assertThat(info(p).firstSeen()).isEqualTo(clock.instant());
  }

  @Test
  void whenThePeersLastConnectionClosesItsTagsGoButProtectionsStay() {
    ManagedConnection c1 = closer.open(cm, "p");
    ManagedConnection c2 = closer.open(cm, "p");
    cm.tagPeer(p, "a", 3);
    cm.protect(p, "relay");

    c1.closed();
    assertThat(info(p).tags()).as("one connection left").containsEntry("a", 3);

    c2.closed();
    assertThat(cm.inspect().tagInfo(p)).isEmpty();
    assertThat(cm.peerCount()).isZero();
    assertThat(cm.isProtected(p, "relay")).isTrue();

    closer.open(cm, "p");
    assertThat(info(p).tags()).isEmpty();
    assertThat(info(p).value()).isZero();
  }

  @Test
  void anEvictedLastConnectionTakesThePeersTagsToo() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", -3);
    closer.open(cm, "keeper");
    clock.advance(PAST_GRACE);

    cm.trim();

    assertThat(cm.inspect().tagInfo(p)).isEmpty();
    assertThat(cm.inspect().tagInfo(peer("keeper"))).isPresent();
  }

  @Test
  void tagsAreVisibleInTheSnapshot() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", 2);
    cm.tagPeer(p, "b", 5);

    assertThat(cm.inspect().snapshot().peer(p))
        .get()
        .satisfies(
            s -> {
              assertThat(s.tagValue()).isEqualTo(7);
              assertThat(s.tags()).isEqualTo(Map.of("a", 2, "b", 5));
            });
  }

  @Test
  void aPlainTagCannotUseTheNameOfARegisteredDecayingTag() {
    cm.registerDecayingTag(
        "gossip", Duration.ofMinutes(1), DecayFunctions.none(), BumpFunctions.sum());

    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.tagPeer(p, "gossip", 1))
        .withMessageContaining("gossip");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> cm.upsertTag(p, "gossip", v -> v))
        .withMessageContaining("gossip");
  }

  @Test
  void aPeersTagValueIsAlwaysTheSumOfTheTagsItShows() {
    closer.open(cm, "p");
    cm.tagPeer(p, "gossip", 5);
    DecayingTag gossip =
        cm.registerDecayingTag(
            "gossip", Duration.ofMinutes(1), DecayFunctions.none(), BumpFunctions.sum());
    gossip.bump(p, 3);

    TagInfo info = info(p);

    assertThat(info.value())
        .isEqualTo(info.tags().values().stream().mapToInt(Integer::intValue).sum());
  }

  @Test
  void tagValuesSaturateInsteadOfOverflowing() {
    closer.open(cm, "p");
    cm.tagPeer(p, "a", Integer.MAX_VALUE);
    cm.tagPeer(p, "b", Integer.MAX_VALUE);

    assertThat(info(p).value()).isEqualTo(Integer.MAX_VALUE);
  }
}
