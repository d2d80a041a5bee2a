package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.ConnectionSnapshot;
import io.connmgr.inspect.LeaseInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * Random sequences of operations against a simple model: nothing protected, leased, young or vetoed
 * is ever closed by a round, the counts match, and no exception escapes but the documented argument
 * and state errors.
 */
class ApiFuzzTest {

  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final int PEERS = 12;

  private static final AtomicLong SEQUENCES = new AtomicLong();
  private static final AtomicLong OPERATIONS = new AtomicLong();
  private static final AtomicLong ROUNDS = new AtomicLong();
  private static final AtomicLong EVICTIONS = new AtomicLong();
  private static final AtomicLong NANOS = new AtomicLong();

  /** One operation: a kind and three numbers it reads as it likes. */
  record Op(int kind, int a, int b, int c) {}

  @Provide
  Arbitrary<List<Op>> sequences() {
    Arbitrary<Integer> kind =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.just(0)),
            Tuple.of(3, Arbitraries.just(12)),
            Tuple.of(10, Arbitraries.integers().between(2, 17)));
    Arbitrary<Op> op =
        Combinators.combine(
                kind,
                Arbitraries.integers().between(0, 1000),
                Arbitraries.integers().between(-50, 200),
                Arbitraries.integers().between(0, 40))
            .as(Op::new);
    return op.list().ofMinSize(30).ofMaxSize(150);
  }

  @Property(tries = 1000)
  void randomSequencesKeepTheInvariants(@ForAll("sequences") @Size(max = 150) List<Op> ops) {
    long started = System.nanoTime();
    SEQUENCES.incrementAndGet();
    OPERATIONS.addAndGet(ops.size());
    ManualClock clock = new ManualClock();
    Map<Long, EvictionRecord> closedByManager = new HashMap<>();
    Set<String> vetoedPeers = new HashSet<>();
    Set<Long> graceless = new HashSet<>();
    try (ConnectionManager cm =
        ConnectionManager.builder()
            .lowWater(4)
            .highWater(8)
            .gracePeriod(GRACE)
            .silencePeriod(Duration.ofSeconds(2))
            .clock(clock)
            .maintenanceInterval(Duration.ZERO)
            .maxConnectionsPerPeer(6)
            .maxLease(Duration.ofSeconds(20))
            .maxLeaseLifetime(Duration.ofSeconds(60))
            .build()) {
      cm.registerVeto(
          "fuzz",
          (c, round) ->
              vetoedPeers.contains(c.peer().value()) ? Verdict.veto("fuzz veto") : Verdict.allow());
      List<ManagedConnection> handles = new ArrayList<>();
      List<ManagedStream> streams = new ArrayList<>();
      List<Lease> leases = new ArrayList<>();
      for (Op op : ops) {
        apply(cm, clock, op, handles, streams, leases, vetoedPeers, closedByManager, graceless);
        long open = handles.stream().filter(ManagedConnection::isOpen).count();
        assertThat(cm.connectionCount()).isEqualTo(open);
        assertThat(cm.inspect().snapshot().connections()).hasSize((int) open);
      }
    } finally {
      NANOS.addAndGet(System.nanoTime() - started);
    }
  }

  private static void apply(
      ConnectionManager cm,
      ManualClock clock,
      Op op,
      List<ManagedConnection> handles,
      List<ManagedStream> streams,
      List<Lease> leases,
      Set<String> vetoedPeers,
      Map<Long, EvictionRecord> closedByManager,
      Set<Long> graceless) {
    PeerId peer = PeerId.of("p" + op.a() % PEERS);
    try {
      switch (op.kind()) {
        case 0, 1 -> {
          // a peer the manager remembers evicting reconnects with no grace period
          boolean remembered = cm.inspect().recentEviction(peer).isPresent();
          ManagedConnection c =
              cm.connectionOpened(
                  peer,
                  op.b() % 2 == 0 ? Direction.INBOUND : Direction.OUTBOUND,
                  "addr",
                  why -> closedByManager.put(why.connectionId(), why));
          handles.add(c);
          if (remembered) {
            graceless.add(c.id());
          }
        }
        case 2 -> pick(handles, op.c()).closed();
        case 3 -> cm.tagPeer(peer, "t" + op.c() % 3, op.b());
        case 4 -> cm.untagPeer(peer, "t" + op.c() % 3);
        case 5 -> cm.upsertTag(peer, "t" + op.c() % 3, v -> v + op.b());
        case 6 -> cm.protect(peer, "g" + op.c() % 2);
        case 7 -> cm.unprotect(peer, "g" + op.c() % 2);
        case 8 ->
            streams.add(pick(handles, op.c()).openStream("s" + op.b() % 3, Direction.OUTBOUND));
        case 9 -> pick(streams, op.c()).close();
        case 10 ->
            leases.add(
                pick(handles, op.c())
                    .lease(
                        Duration.ofSeconds(1 + op.c()),
                        l ->
                            op.b() % 2 == 0
                                ? LeaseDecision.extend(Duration.ofSeconds(5))
                                : LeaseDecision.release()));
        case 11 -> pick(leases, op.c()).release();
        case 12 -> clock.advance(Duration.ofMillis(op.a() * 10L));
        case 13 -> {
          Set<Long> untouchable = untouchable(cm, clock, handles, graceless);
          checkRound(cm, cm.trim(), vetoedPeers, untouchable);
        }
        case 14 -> {
          Set<Long> untouchable = untouchable(cm, clock, handles, graceless);
          java.util.Optional<TrimReport> before = cm.stats().lastReport();
          cm.maintain();
          cm.stats()
              .lastReport()
              .filter(r -> before.map(b -> b != r).orElse(true))
              .ifPresent(r -> checkRound(cm, r, vetoedPeers, untouchable));
        }
        case 15 -> {
          if (!vetoedPeers.remove(peer.value())) {
            vetoedPeers.add(peer.value());
          }
        }
        case 16 -> cm.evict(op.a(), "fuzz");
        default -> badInput(cm, op);
      }
    } catch (IllegalArgumentException | NullPointerException | ConnectionRefusedException e) {
      // documented argument errors and refusals
    } catch (IllegalStateException e) {
      assertThat(e).hasMessageContaining("closed"); // a closed connection or stream
    } catch (IndexOutOfBoundsException e) {
      // nothing to pick yet
    }
  }

  /** Open connections a round must not close: young, or held by an active lease. */
  private static Set<Long> untouchable(
      ConnectionManager cm,
      ManualClock clock,
      List<ManagedConnection> handles,
      Set<Long> graceless) {
    Set<Long> ids = new HashSet<>();
    for (ManagedConnection c : handles) {
      if (c.isOpen()
          && c.openedAt().isAfter(clock.instant().minus(GRACE))
          && !graceless.contains(c.id())) {
        ids.add(c.id());
      }
    }
    for (ConnectionSnapshot c : cm.inspect().snapshot().connections()) {
      if (c.leases().stream().anyMatch(LeaseInfo::active)) {
        ids.add(c.id());
      }
    }
    return ids;
  }

  /** What the round closed was a candidate when it ran. */
  private static void checkRound(
      ConnectionManager cm, TrimReport report, Set<String> vetoedPeers, Set<Long> untouchable) {
    ROUNDS.incrementAndGet();
    EVICTIONS.addAndGet(report.evicted().size());
    for (EvictionRecord r : report.evicted()) {
      assertThat(untouchable).as("closed young or leased %s", r).doesNotContain(r.connectionId());
      assertThat(cm.isProtected(r.peer(), null)).as("closed protected %s", r).isFalse();
      assertThat(vetoedPeers).as("closed vetoed %s", r).doesNotContain(r.peer().value());
    }
    assertThat(report.evicted().size()).isLessThanOrEqualTo(Math.max(0, report.target()));
  }

  private static void badInput(ConnectionManager cm, Op op) {
    switch (op.b() % 4) {
      case 0 -> cm.tagPeer(PeerId.of(" ".repeat(1 + op.c())), "t", 1);
      case 1 -> cm.tagPeer(PeerId.of("x".repeat(300)), "t", 1);
      case 2 -> cm.tagPeer(PeerId.of("ok"), "", 1);
      default -> cm.connectionOpened(PeerId.of("bad\u0000id"), Direction.INBOUND, "a", w -> {});
    }
  }

  private static <T> T pick(List<T> list, int index) {
    return list.get(index % Math.max(1, list.size()));
  }

  @AfterContainer
  static void recordStatistics() throws java.io.IOException {
    java.nio.file.Path target = java.nio.file.Path.of("target");
    if (java.nio.file.Files.isDirectory(target)) {
      java.nio.file.Files.writeString(
          target.resolve("fuzz-stats.txt"),
          String.format(
              "sequences=%d operations=%d rounds=%d evictions=%d millis=%d%n",
              SEQUENCES.get(),
              OPERATIONS.get(),
              ROUNDS.get(),
              EVICTIONS.get(),
              java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(NANOS.get())));
    }
  }
}
