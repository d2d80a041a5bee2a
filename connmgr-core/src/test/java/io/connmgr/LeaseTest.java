package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeaseTest {

  private static ConnectionManager.Builder limits() {
    return ConnectionManager.builder()
        .lowWater(1)
        .highWater(1)
        .maxLease(Duration.ofSeconds(30))
        .maxLeaseLifetime(Duration.ofSeconds(100));
  }

  @Test
  void anActiveLeaseKeepsItsConnectionOutOfEveryRound() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection leased = h.open("leased");
      h.open("other");
      h.pastGrace();
      Lease lease = leased.lease(Duration.ofSeconds(10), LeaseListener.releasing());

      TrimReport report = h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("other");
      assertThat(report.skipped().get(SkipReason.LEASED)).isEqualTo(1);
      assertThat(lease.isActive()).isTrue();
      assertThat(h.cm.stats().activeLeases()).isEqualTo(1);
    }
  }

  @Test
  void aLeaseIsCappedByMaxLease() {
    try (Harness h = new Harness(limits())) {
      Instant start = h.clock.instant();
      Lease lease = h.open("a").lease(Duration.ofHours(1), LeaseListener.releasing());
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(30));
      assertThat(lease.startedAt()).isEqualTo(start);
    }
  }

  @Test
  void extendMovesFromTheLaterOfExpiryAndNowCappedPerCall() {
    try (Harness h = new Harness(limits())) {
      Instant start = h.clock.instant();
      Lease lease = h.open("a").lease(Duration.ofSeconds(10), LeaseListener.releasing());

      assertThat(lease.extend(Duration.ofSeconds(5))).isTrue();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(15));

      assertThat(lease.extend(Duration.ofMinutes(5))).isTrue();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(45));

      h.clock.advance(Duration.ofSeconds(60)); // elapsed, not released: may still be extended
      assertThat(lease.isActive()).isFalse();
      assertThat(lease.extend(Duration.ofSeconds(10))).isTrue();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(70));
    }
  }

  @Test
  void extendBeyondTheLifetimeReturnsFalseAndChangesNothing() {
    try (Harness h = new Harness(limits())) {
      Instant start = h.clock.instant();
      Lease lease = h.open("a").lease(Duration.ofSeconds(30), LeaseListener.releasing());
      assertThat(lease.extend(Duration.ofSeconds(30))).isTrue(); // 60
      assertThat(lease.extend(Duration.ofSeconds(30))).isTrue(); // 90
      assertThat(lease.extend(Duration.ofSeconds(10))).isTrue(); // 100: exactly the lifetime
      assertThat(lease.extend(Duration.ofNanos(1))).isFalse();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(100));
    }
  }

  @Test
  void aReleasedLeaseNeitherHoldsNorExtendsNorCallsBack() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "t", 10);
      AtomicInteger calls = new AtomicInteger();
      Lease lease =
          c.lease(
              Duration.ofSeconds(10),
              l -> {
                calls.incrementAndGet();
                return LeaseDecision.extend(Duration.ofSeconds(10));
              });
      lease.release();
      lease.release();
      h.pastGrace();

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("a");
      assertThat(calls).hasValue(0);
      assertThat(lease.isReleased()).isTrue();
      assertThat(lease.extend(Duration.ofSeconds(1))).isFalse();
    }
  }

  @Test
  void anElapsedLeaseAsksItsListenerWhichMayExtendAndSpareTheConnection() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "t", 10);
      List<Lease> asked = new ArrayList<>();
      Lease lease =
          c.lease(
              Duration.ofSeconds(5),
              l -> {
                asked.add(l);
                return LeaseDecision.extend(Duration.ofSeconds(10));
              });
      h.pastGrace();

      TrimReport report = h.cm.trim();

      assertThat(asked).containsExactly(lease);
      assertThat(h.closedPeers()).containsExactly("b");
      assertThat(report.skipped().get(SkipReason.LEASED)).isEqualTo(1);
      assertThat(lease.isActive()).isTrue();
      assertThat(h.cm.stats().leaseExtensions()).isEqualTo(1);
    }
  }

  @Test
  void anElapsedLeaseWhoseListenerReleasesLetsTheRoundCloseIt() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "t", 10);
      Lease lease = c.lease(Duration.ofSeconds(5), l -> LeaseDecision.release());
      h.pastGrace();

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactly("a");
      assertThat(lease.isReleased()).isTrue();
    }
  }

  @Test
  void aListenerThatThrowsOrAsksBeyondTheLifetimeCountsAsRelease() {
    try (Harness h =
        new Harness(
            ConnectionManager.builder()
                .lowWater(1)
                .highWater(1)
                .maxLease(Duration.ofSeconds(30))
                .maxLeaseLifetime(Duration.ofSeconds(30)))) {
      ManagedConnection throwing = h.open("throwing");
      ManagedConnection greedy = h.open("greedy");
      h.open("valuable");
      h.cm.tagPeer(PeerId.of("valuable"), "t", 100);
      throwing.lease(
          Duration.ofSeconds(5),
          l -> {
            throw new IllegalStateException("listener bug");
          });
      h.clock.advance(Duration.ofSeconds(25));
      Lease greedyLease =
          greedy.lease(Duration.ofSeconds(30), l -> LeaseDecision.extend(Duration.ofSeconds(30)));
      h.clock.advance(Duration.ofSeconds(31)); // greedy elapsed; extension would pass lifetime
      List<Boolean> extended = new java.util.concurrent.CopyOnWriteArrayList<>();
      h.cm.addListener(
          new ConnectionManagerListener() {
            @Override
            public void onLeaseExpiry(Lease lease, LeaseDecision decision, boolean wasExtended) {
              extended.add(wasExtended);
            }
          });

      h.cm.trim();

      assertThat(h.closedPeers()).containsExactlyInAnyOrder("throwing", "greedy");
      assertThat(greedyLease.isReleased()).isTrue();
      eventually(() -> assertThat(extended).containsExactly(false, false));
    }
  }

  @Test
  void aStreamLeaseHoldsTheConnectionAndEndsWithTheStream() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      h.open("b");
      h.cm.tagPeer(PeerId.of("b"), "t", 10);
      ManagedStream s = c.openStream("/ipfs/bitswap/1.2.0", Direction.OUTBOUND);
      Lease lease = s.lease(Duration.ofSeconds(30), LeaseListener.releasing());
      h.pastGrace();
      assertThat(lease.connection().id()).isEqualTo(c.id());

      h.cm.trim();
      assertThat(h.closedPeers()).containsExactly("b");

      s.close();
      assertThat(lease.isReleased()).isTrue();
      h.open("c");
      h.cm.tagPeer(PeerId.of("c"), "t", 10);
      h.pastGrace();
      h.cm.trim();
      assertThat(h.closedPeers()).containsExactly("b", "a");
    }
  }

  @Test
  void leasingAClosedConnectionOrStreamThrows() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      ManagedStream s = c.openStream("x", Direction.INBOUND);
      s.close();
      assertThatIllegalStateException()
          .isThrownBy(() -> s.lease(Duration.ofSeconds(1), LeaseListener.releasing()));
      c.closed();
      assertThatIllegalStateException()
          .isThrownBy(() -> c.lease(Duration.ofSeconds(1), LeaseListener.releasing()))
          .withMessageContaining("closed");
    }
  }

  @Test
  void closingTheConnectionReleasesItsLeases() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      Lease lease = c.lease(Duration.ofSeconds(10), LeaseListener.releasing());
      c.closed();
      assertThat(lease.isReleased()).isTrue();
      assertThat(lease.isActive()).isFalse();
      assertThat(h.cm.stats().activeLeases()).isZero();
    }
  }

  @Test
  void badLeaseArgumentsAreRefused() {
    try (Harness h = new Harness(limits())) {
      ManagedConnection c = h.open("a");
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> c.lease(Duration.ZERO, LeaseListener.releasing()))
          .withMessageContaining("lease duration");
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> LeaseDecision.extend(Duration.ofSeconds(-1)));
      Lease lease = c.lease(Duration.ofSeconds(1), LeaseListener.releasing());
      org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
          .isThrownBy(() -> lease.extend(Duration.ZERO));
    }
  }

  @Test
  void aListenerCanAskWhetherAnExtensionWouldBeGranted() {
    try (Harness h = new Harness(limits())) {
      Instant start = h.clock.instant();
      Lease lease = h.open("a").lease(Duration.ofSeconds(30), LeaseListener.releasing());
      assertThat(lease.latestExpiry()).isEqualTo(start.plusSeconds(100));
      assertThat(lease.canExtend(Duration.ofSeconds(30))).isTrue(); // to 60
      lease.extend(Duration.ofSeconds(30));
      lease.extend(Duration.ofSeconds(30)); // 90
      assertThat(lease.canExtend(Duration.ofSeconds(10))).isTrue(); // exactly 100
      assertThat(lease.canExtend(Duration.ofSeconds(11))).isFalse();
      assertThat(lease.expiresAt()).isEqualTo(start.plusSeconds(90)); // asking changed nothing
      lease.release();
      assertThat(lease.canExtend(Duration.ofSeconds(1))).isFalse();
    }
  }
}
