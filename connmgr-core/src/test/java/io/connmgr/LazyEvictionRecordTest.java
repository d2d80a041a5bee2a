package io.connmgr;

import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A round's eviction records build their sentence, score and breakdown when first read, from what
 * was captured at close: read at any time later, they show what the connection had at close.
 */
class LazyEvictionRecordTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm =
      Managers.builder(clock).lowWater(1).highWater(3).scorerWeight("rtt", 0.5).build();

  @AfterEach
  void closeManager() {
    cm.close();
  }

  @Test
  void aRecordReadLongAfterTheRoundShowsTheTagsAndAnswersOfCloseTime() {
    AtomicInteger rtt = new AtomicInteger(3);
    cm.registerConnectionScorer("rtt", c -> rtt.get());
    DecayingTag decaying =
        cm.registerDecayingTag(
            "seen", Duration.ofHours(1), DecayFunctions.none(), BumpFunctions.sum());
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "kad", 100);
    closer.open(cm, "victim");
    cm.tagPeer(peer("victim"), "kad", 2);
    cm.tagPeer(peer("victim"), "bitswap", -1);
    decaying.bump(peer("victim"), 4);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();
    // everything the record could be built from changes after the close
    rtt.set(90);
    cm.tagPeer(peer("victim"), "kad", 1000);
    cm.tagPeer(peer("victim"), "late", 7);
    decaying.bump(peer("victim"), 50);

    EvictionRecord r = report.evicted().get(0);
    assertThat(r.breakdown())
        .containsExactly(
            entry("tag:kad", 2.0),
            entry("tag:bitswap", -1.0),
            entry("tag:seen", 4.0),
            entry("scorer:rtt", 1.5));
    assertThat(r.score()).isEqualTo(6.5);
    assertThat(r.reason())
        .isEqualTo(
            "trim() requested; trimming 2 connections to low water 1;"
                + " score 6.50, 1st lowest of 2 candidates");
  }

  @Test
  void aPeerThatStaysCanRearrangeItsTagsWithoutChangingWhatItsRecordShows() {
    try (ConnectionManager two = Managers.builder(clock).lowWater(2).highWater(2).build()) {
      closer.open(two, "keeper");
      two.tagPeer(peer("keeper"), "kad", 100);
      closer.open(two, "duo");
      closer.open(two, "duo");
      for (String tag : List.of("a", "b", "c", "d")) {
        two.tagPeer(peer("duo"), tag, 1);
      }
      clock.advance(PAST_GRACE);

      EvictionRecord r = two.trim().evicted().get(0);
      // duo keeps its other connection; its tag arrays are compacted in place and reused
      two.untagPeer(peer("duo"), "a");
      two.untagPeer(peer("duo"), "b");
      two.untagPeer(peer("duo"), "c");
      two.tagPeer(peer("duo"), "e", 50);
      two.tagPeer(peer("duo"), "f", 60);

      assertThat(r.peer()).isEqualTo(peer("duo"));
      assertThat(two.connectionCount()).isEqualTo(2);
      assertThat(r.breakdown())
          .containsExactly(
              entry("tag:a", 1.0), entry("tag:b", 1.0), entry("tag:c", 1.0), entry("tag:d", 1.0));
      assertThat(two.inspect().tagInfo(peer("duo")).orElseThrow().tags())
          .containsOnly(entry("d", 1), entry("e", 50), entry("f", 60));
    }
  }

  @Test
  void aRecordEqualsTheRecordBuiltWithEverythingKnown() {
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 9);
    ManagedConnection victim = closer.open(cm, "victim");
    cm.tagPeer(peer("victim"), "t", 4);
    clock.advance(PAST_GRACE);

    EvictionRecord lazy = cm.trim().evicted().get(0);
    EvictionRecord eager =
        new EvictionRecord(
            lazy.at(),
            victim.id(),
            peer("victim"),
            Direction.INBOUND,
            Trigger.MANUAL,
            "trim() requested; trimming 2 connections to low water 1; score 4, 1st lowest of 2"
                + " candidates",
            4.0,
            java.util.Map.of("tag:t", 4.0));

    assertThat(lazy).isEqualTo(eager);
    assertThat(eager).isEqualTo(lazy);
    assertThat(lazy.hashCode()).isEqualTo(eager.hashCode());
    assertThat(lazy.toString()).isEqualTo(eager.toString());
    // the closer, the history and the report hold the one record
    assertThat(closer.records()).containsExactly(lazy);
    assertThat(cm.inspect().evictionHistory()).containsExactly(lazy);
  }

  @Test
  void recordsReadFromManyThreadsAtOnceShowTheSameExplanation() throws Exception {
    closer.openMany(cm, "p", 40);
    for (int i = 0; i < 40; i++) {
      cm.tagPeer(peer("p-" + i), "t", i);
    }
    clock.advance(PAST_GRACE);
    List<EvictionRecord> records = cm.trim().evicted();
    assertThat(records).hasSize(39);

    String[][] seen = new String[2][records.size()];
    Thread[] readers = new Thread[2];
    for (int t = 0; t < 2; t++) {
      int me = t;
      readers[t] =
          new Thread(
              () -> {
                for (int k = 0; k < records.size(); k++) {
                  EvictionRecord r = records.get(me == 0 ? k : records.size() - 1 - k);
                  seen[me][me == 0 ? k : records.size() - 1 - k] =
                      r.reason() + " " + r.score() + " " + r.breakdown();
                }
              });
      readers[t].start();
    }
    for (Thread reader : readers) {
      reader.join();
    }
    assertThat(seen[0]).containsExactly(seen[1]);
    for (int k = 0; k < records.size(); k++) {
      assertThat(records.get(k).breakdown()).containsExactly(entry("tag:t", (double) k));
      assertThat(records.get(k).reason()).endsWith(ordinal(k + 1) + " lowest of 40 candidates");
    }
  }

  private static String ordinal(int n) {
    return n
        + (n % 100 / 10 == 1
            ? "th"
            : switch (n % 10) {
              case 1 -> "st";
              case 2 -> "nd";
              case 3 -> "rd";
              default -> "th";
            });
  }
}
