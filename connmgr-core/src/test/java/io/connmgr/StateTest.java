package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.Snapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StateTest {

  /** Deliberately not thread-safe: only exclusive access keeps its count right. */
  static final class Counter {
    long value;
  }

  static final AttachmentKey<Counter> COUNTER = AttachmentKey.of("counter", Counter::new);
  static final AttachmentKey<List<String>> NOTES = AttachmentKey.of("notes", ArrayList::new);

  @Test
  void stateIsCreatedOnFirstUseAndKeptPerSubject() {
    try (Harness h = new Harness(5, 10)) {
      ManagedConnection a = h.open("a");
      ManagedConnection b = h.open("b");
      ManagedStream s = a.openStream("x", Direction.INBOUND);
      a.update(COUNTER, c -> c.value += 3);
      s.update(COUNTER, c -> c.value += 7);
      h.cm.updatePeer(PeerId.of("a"), COUNTER, c -> c.value += 11);

      assertThat(a.state(COUNTER).value).isEqualTo(3);
      assertThat(b.state(COUNTER).value).isZero();
      assertThat(s.state(COUNTER).value).isEqualTo(7);
      assertThat(h.cm.peerState(PeerId.of("a"), COUNTER).value).isEqualTo(11);
      assertThat(a.state(COUNTER)).isSameAs(a.state(COUNTER));
      assertThat(h.cm.inspect().snapshot().connections().get(0).state(COUNTER).value).isEqualTo(3);
    }
  }

  @Test
  void snapshotsListTheStateSetSoFarByKeyName() {
    try (Harness h = new Harness(5, 10)) {
      ManagedConnection a = h.open("a");
      ManagedStream s = a.openStream("x", Direction.INBOUND);
      h.open("b");
      a.update(COUNTER, c -> c.value = 4);
      a.update(NOTES, n -> n.add("hello"));
      s.update(NOTES, n -> n.add("stream"));
      h.cm.updatePeer(PeerId.of("a"), COUNTER, c -> c.value = 9);
      AttachmentKey<Counter> sameName = AttachmentKey.of("counter", Counter::new);
      h.cm.updatePeer(PeerId.of("a"), sameName, c -> c.value = 1);

      Snapshot snap = h.cm.inspect().snapshot();
      PeerSnapshot peer = snap.peer(PeerId.of("a")).orElseThrow();
      ConnectionSnapshot conn = peer.connections().get(0);

      assertThat(conn.attachments()).containsOnlyKeys("counter", "notes");
      assertThat(conn.attachments().get("notes")).hasToString("[hello]");
      assertThat(conn.streams().get(0).attachments()).containsOnlyKeys("notes");
      assertThat(peer.attachments()).containsOnlyKeys("counter", "counter#2");
      assertThat(snap.peer(PeerId.of("b")).orElseThrow().attachments()).isEmpty();
    }
  }

  @Test
  void scorersReadStateThroughTheirViews() {
    try (Harness h = new Harness(1, 1)) {
      ManagedConnection rich = h.open("rich");
      h.open("poor");
      rich.update(COUNTER, c -> c.value = 500);
      h.cm.updatePeer(PeerId.of("rich"), NOTES, n -> n.add("useful"));
      h.cm.registerConnectionScorer("bytes", c -> (int) c.state(COUNTER).value);
      h.cm.registerPeerScorer("notes", p -> p.state(NOTES).size() * 100);
      h.pastGrace();

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("poor");
    }
  }

  @Test
  void concurrentUpdatesOfOneKeyAreExclusive() throws Exception {
    try (Harness h = new Harness(5, 10)) {
      ManagedConnection c = h.open("a");
      int threads = 4;
      int perThread = 50_000;
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < perThread; i++) {
                    c.update(COUNTER, counter -> counter.value++);
                    h.cm.updatePeer(PeerId.of("a"), COUNTER, counter -> counter.value++);
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();

      assertThat(c.state(COUNTER).value).isEqualTo((long) threads * perThread);
      assertThat(h.cm.peerState(PeerId.of("a"), COUNTER).value)
          .isEqualTo((long) threads * perThread);
    }
  }

  @Test
  void updatesOfDifferentKeysDoNotBlockEachOther() throws Exception {
    try (Harness h = new Harness(5, 10)) {
      ManagedConnection c = h.open("a");
      CountDownLatch inside = new CountDownLatch(1);
      CountDownLatch release = new CountDownLatch(1);
      Thread holder =
          new Thread(
              () ->
                  c.update(
                      COUNTER,
                      counter -> {
                        inside.countDown();
                        try {
                          release.await();
                        } catch (InterruptedException e) {
                          Thread.currentThread().interrupt();
                        }
                      }));
      holder.start();
      assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

      ExecutorService other = Executors.newSingleThreadExecutor();
      Future<?> otherKey = other.submit(() -> c.update(NOTES, n -> n.add("x")));
      Future<?> otherSubject =
          other.submit(() -> h.open("b").update(COUNTER, counter -> counter.value++));
      otherKey.get(10, TimeUnit.SECONDS);
      otherSubject.get(10, TimeUnit.SECONDS);

      release.countDown();
      holder.join(10_000);
      other.shutdown();
      assertThat(c.state(NOTES)).containsExactly("x");
    }
  }

  @Test
  void keysNeedANameAndAnInitialValue() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> AttachmentKey.of(" ", Counter::new));
    org.assertj.core.api.Assertions.assertThatNullPointerException()
        .isThrownBy(() -> AttachmentKey.of("x", null));
    AttachmentKey<Counter> nulls = AttachmentKey.of("nulls", () -> null);
    try (Harness h = new Harness(5, 10)) {
      org.assertj.core.api.Assertions.assertThatNullPointerException()
          .isThrownBy(() -> h.open("a").state(nulls))
          .withMessageContaining("nulls");
    }
  }
}
