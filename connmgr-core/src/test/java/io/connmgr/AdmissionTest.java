package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AdmissionTest {

  private static ConnectionRefusedException refusal(Harness h, String peer, Direction d) {
    return catchThrowableOfType(ConnectionRefusedException.class, () -> h.open(peer, d));
  }

  /**
   * Opens an inbound connection as a client does at the cap: told to retry (a displacement for it
   * was still under way when its connecting thread stopped waiting), it tries again.
   */
  private static ManagedConnection openRetrying(Harness h, String peer) {
    ManagedConnection[] opened = new ManagedConnection[1];
    eventually(
        () -> {
          try {
            opened[0] = h.open(peer);
          } catch (ConnectionRefusedException e) {
            assertThat(e.retryAfter()).as("refused for good: %s", e.getMessage()).isPresent();
            throw new AssertionError("told to retry: " + e.getMessage(), e);
          }
        });
    return opened[0];
  }

  @Test
  void theTotalCapMustBeAboveHighWater() {
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ConnectionManager.builder().lowWater(5).highWater(10).maxConnections(10).build())
        .withMessageContaining("maxConnections = 10: must be above high water (10)");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().maxInboundShare(1.5).build())
        .withMessageContaining("maxInboundShare = 1.5");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> ConnectionManager.builder().maxConnectionsPerPeer(0).build())
        .withMessageContaining("maxConnectionsPerPeer = 0: must be positive");
    assertThatIllegalArgumentException()
        .isThrownBy(
            () -> ConnectionManager.builder().allow(PeerId.of("x")).deny(PeerId.of("x")).build())
        .withMessageContaining("deny = x: names a peer that is also allowed");
  }

  @Test
  void deniedPeersAreAlwaysRefused() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder().lowWater(5).highWater(10).deny(PeerId.of("evil")))) {
      h.cm.pin(PeerId.of("evil"));
      ConnectionRefusedException e = refusal(h, "evil", Direction.INBOUND);
      assertThat(e.limit()).isEqualTo(AdmissionLimit.DENIED);
      assertThat(e.peer()).isEqualTo(PeerId.of("evil"));
      assertThat(e).hasMessageContaining("evil").hasMessageContaining("DENIED");
      assertThat(h.cm.connectionCount()).isZero();
      assertThat(h.cm.inspect().tagInfo(PeerId.of("evil"))).isEmpty();
    }
  }

  @Test
  void thePerPeerCapRefusesTheExtraConnectionUnlessPinnedOrAllowed() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(10)
                .maxConnectionsPerPeer(2)
                .allow(PeerId.of("friend")))) {
      h.open("p");
      h.open("p");
      assertThat(refusal(h, "p", Direction.OUTBOUND).limit())
          .isEqualTo(AdmissionLimit.MAX_PER_PEER);
      assertThat(h.cm.inspect().tagInfo(PeerId.of("p")).orElseThrow().connections()).hasSize(2);
      for (int i = 0; i < 3; i++) {
        h.open("friend");
      }
      h.cm.pin(PeerId.of("pinned"));
      for (int i = 0; i < 3; i++) {
        h.open("pinned");
      }
      assertThat(h.cm.connectionCount()).isEqualTo(8);
      assertThat(h.cm.stats().refusals()).containsEntry(AdmissionLimit.MAX_PER_PEER, 1L);
    }
  }

  @Test
  void inboundConnectionsMayTakeOnlyTheirShareOfTheCap() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(5)
                .highWater(10)
                .maxConnections(20)
                .maxInboundShare(0.25))) {
      for (int i = 0; i < 5; i++) {
        h.open("in-" + i, Direction.INBOUND);
      }
      assertThat(refusal(h, "in-5", Direction.INBOUND).limit())
          .isEqualTo(AdmissionLimit.INBOUND_SHARE);
      h.open("out-0", Direction.OUTBOUND);
      assertThat(h.cm.stats().inbound()).isEqualTo(5);
    }
  }

  @Test
  void atTheCapAnInboundNewcomerDisplacesALowerScoringConnection() {
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(2).highWater(3).maxConnections(4))) {
      for (int i = 0; i < 4; i++) {
        h.open("idle-" + i);
        h.cm.tagPeer(PeerId.of("idle-" + i), "v", i);
      }
      h.pastGrace();
      h.cm.tagPeer(PeerId.of("valuable"), "kad", 50); // known before it connects

      ManagedConnection newcomer = openRetrying(h, "valuable");

      assertThat(newcomer.isOpen()).isTrue();
      assertThat(h.cm.connectionCount()).isEqualTo(4);
      assertThat(h.closed)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.peer()).isEqualTo(PeerId.of("idle-0"));
                assertThat(r.trigger()).isEqualTo(Trigger.ADMISSION);
                assertThat(r.reason()).contains("valuable");
              });
    }
  }

  @Test
  void atTheCapANewcomerWorthNoMoreIsRefusedAndOutboundIsNeverDisplacing() {
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(2).highWater(3).maxConnections(4))) {
      for (int i = 0; i < 4; i++) {
        h.open("held-" + i);
        h.cm.tagPeer(PeerId.of("held-" + i), "v", 10);
      }
      h.pastGrace();
      assertThat(refusal(h, "nobody", Direction.INBOUND).limit())
          .isEqualTo(AdmissionLimit.MAX_CONNECTIONS);
      h.cm.tagPeer(PeerId.of("rich-out"), "v", 100);
      assertThat(refusal(h, "rich-out", Direction.OUTBOUND).limit())
          .isEqualTo(AdmissionLimit.MAX_CONNECTIONS);
      assertThat(h.closed).isEmpty();
      assertThat(h.cm.stats().refusals()).containsEntry(AdmissionLimit.MAX_CONNECTIONS, 2L);
    }
  }

  @Test
  void peerScorersRateTheNewcomerAndVetoesProtectVictims() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(2)
                .maxConnections(3)
                .scorerBudget(Duration.ofSeconds(5)))) {
      h.open("a");
      h.open("b");
      h.open("c");
      h.pastGrace();
      h.cm.registerPeerScorer("reputation", p -> p.id().value().startsWith("good") ? 500 : 0);
      h.cm.registerVeto(
          "keep-a",
          (c, round) -> {
            assertThat(round.trigger()).isEqualTo(Trigger.ADMISSION);
            return c.peer().value().equals("a") ? Verdict.veto("a stays") : Verdict.allow();
          });

      openRetrying(h, "good-1");

      assertThat(h.closedPeers()).hasSize(1).doesNotContain("a");
      assertThat(h.cm.inspect().vetoes().get(0).vetoes()).isLessThanOrEqualTo(1);
    }
  }

  @Test
  void theTotalCapHoldsUnderAConcurrentFlood() throws Exception {
    int cap = 50;
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(20).highWater(40).maxConnections(cap))) {
      int threads = 4;
      AtomicInteger refused = new AtomicInteger();
      List<ManagedConnection> opened = java.util.Collections.synchronizedList(new ArrayList<>());
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  start.await();
                  for (int i = 0; i < 100; i++) {
                    try {
                      opened.add(h.open("flood-" + thread + "-" + i, Direction.OUTBOUND));
                    } catch (ConnectionRefusedException e) {
                      refused.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      pool.shutdown();
      assertThat(h.cm.connectionCount()).isEqualTo(cap);
      assertThat(opened).hasSize(cap);
      assertThat(refused).hasValue(threads * 100 - cap);
      opened.get(0).closed();
      h.open("after-close", Direction.OUTBOUND);
      assertThat(h.cm.connectionCount()).isEqualTo(cap);
    }
  }

  @Test
  void listenersHearEachRefusal() {
    List<String> heard = new ArrayList<>();
    try (Harness h =
        new Harness(ConnectionManager.builder().lowWater(5).highWater(10).deny(PeerId.of("x")))) {
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onRefusal(PeerId peer, Direction direction, AdmissionLimit limit) {
              heard.add(peer + " " + direction + " " + limit);
            }
          });
      refusal(h, "x", Direction.INBOUND);
      eventually(() -> assertThat(heard).containsExactly("x INBOUND DENIED"));
      assertThat(h.cm.stats().refusals()).containsAllEntriesOf(Map.of(AdmissionLimit.DENIED, 1L));
    }
  }
}
