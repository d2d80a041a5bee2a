package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.inspect.PeerSnapshot;
import io.connmgr.inspect.Snapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * Several transport threads open, close, tag and stream while other threads trim, run upkeep and
 * take snapshots; afterwards the counts agree, nothing protected or young was closed, and no thread
 * saw an exception.
 */
class ConcurrencyTest {

  private static final int TRANSPORT_THREADS = 4;
  private static final int OPERATIONS_PER_TRANSPORT = 3_000;

  /** Rounds, upkeep passes and snapshots go on while the transports run, up to this many each. */
  private static final int MAX_BACKGROUND_OPERATIONS = 100_000;

  private static final int PEERS = 30;
  private static final int GUARDS = 5;
  private static final int LOW = 20;
  private static final Duration GRACE = Duration.ofSeconds(5);
  private static final Duration STEP = Duration.ofMillis(250);

  private final ManualClock clock = new ManualClock();
  private final ConnectionManager cm =
      ConnectionManager.builder()
          .clock(clock)
          .maintenanceInterval(Duration.ZERO)
          .lowWater(LOW)
          .highWater(40)
          .gracePeriod(GRACE)
          .silencePeriod(Duration.ofSeconds(1))
          .build();

  private final Set<PeerId> guarded = new HashSet<>();
  private final Queue<Throwable> errors = new ConcurrentLinkedQueue<>();
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();
  private final Queue<ManagedConnection> everyConnection = new ConcurrentLinkedQueue<>();

  /** Connections opened by a peer the manager remembered evicting: they have no grace. */
  private final Set<Long> graceless = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private final Queue<ManagedStream> everyStream = new ConcurrentLinkedQueue<>();
  private final Set<Long> closedByManager = ConcurrentHashMap.newKeySet();
  private final AtomicInteger rounds = new AtomicInteger();

  /** trim() calls finished, counted by the trimmers themselves. */
  private final AtomicInteger trims = new AtomicInteger();

  private final AtomicInteger trimmersRunning = new AtomicInteger();
  private DecayingTag decaying;

  @AfterEach
  void closeManager() {
    cm.close();
  }

  /** A transport's connection: the closer needs the handle, which exists only after opening. */
  private final class Transported implements Closer {
    volatile ManagedConnection handle;

    @Override
    public void close(EvictionRecord why) {
      ManagedConnection c = awaitHandle();
      if (guarded.contains(why.peer())) {
        violations.add("closed protected " + why);
      }
      Duration age = Duration.between(c.openedAt(), why.at());
      if (age.compareTo(GRACE) < 0 && !graceless.contains(c.id())) {
        violations.add("closed a connection " + age + " old: " + why);
      }
      if (why.connectionId() != c.id() || !why.peer().equals(c.peer())) {
        violations.add("record names another connection: " + why + " for " + c);
      }
      if (!closedByManager.add(why.connectionId())) {
        violations.add("closed twice: " + why);
      }
      c.closed(); // as a real transport would, once the socket is gone
    }

    private ManagedConnection awaitHandle() {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      ManagedConnection c;
      while ((c = handle) == null) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("connection handle never published");
        }
        Thread.onSpinWait();
      }
      return c;
    }
  }

  private ManagedConnection open(PeerId peer, Direction direction) {
    Transported closer = new Transported();
    // a peer the manager remembers evicting reconnects with no grace period; remembered before
    // or after this open (a round may evict its other connection meanwhile), it is excused
    boolean remembered = cm.inspect().recentEviction(peer).isPresent();
    ManagedConnection c = cm.connectionOpened(peer, direction, "10.0.0.1:1", closer);
    if (remembered || cm.inspect().recentEviction(peer).isPresent()) {
      graceless.add(c.id());
    }
    closer.handle = c;
    everyConnection.add(c);
    return c;
  }

  private Thread worker(String name, CountDownLatch start, Runnable body) {
    Thread t =
        new Thread(
            () -> {
              try {
                if (!start.await(10, TimeUnit.SECONDS)) {
                  throw new AssertionError("start gate never opened");
                }
                body.run();
              } catch (Throwable e) {
                errors.add(e);
              }
            },
            name);
    t.start();
    return t;
  }

  private void transport(int seed) {
    Random random = new Random(seed);
    List<ManagedConnection> mine = new ArrayList<>();
    List<ManagedStream> streams = new ArrayList<>();
    for (int i = 0; i < OPERATIONS_PER_TRANSPORT; i++) {
      if (i % 500 == 499) {
        awaitAnotherRound(); // keep rounds interleaved with the traffic on any scheduler
      }
      PeerId peer = PeerId.of("p-" + random.nextInt(PEERS));
      int dice = random.nextInt(100);
      if (dice < 35 || mine.isEmpty()) {
        PeerId target =
            random.nextInt(10) == 0 ? PeerId.of("guard-" + random.nextInt(GUARDS)) : peer;
        try {
          mine.add(open(target, random.nextBoolean() ? Direction.INBOUND : Direction.OUTBOUND));
        } catch (ConnectionRefusedException e) {
          // a peer a round just evicted, back while its backoff runs above high water
          if (e.limit() != AdmissionLimit.RECENTLY_EVICTED || guarded.contains(target)) {
            violations.add("refused " + target + ": " + e.getMessage());
          }
        }
      } else if (dice < 50) {
        mine.remove(random.nextInt(mine.size())).closed();
      } else if (dice < 65) {
        ManagedConnection c = mine.get(random.nextInt(mine.size()));
        try {
          ManagedStream s = c.openStream("/proto/" + random.nextInt(3), Direction.OUTBOUND);
          streams.add(s);
          everyStream.add(s);
        } catch (IllegalStateException e) {
          if (c.isOpen()) {
            throw new AssertionError("openStream refused on an open connection", e);
          }
          mine.remove(c);
        }
      } else if (dice < 75 && !streams.isEmpty()) {
        streams.remove(random.nextInt(streams.size())).close();
      } else if (dice < 82) {
        cm.tagPeer(peer, "t" + random.nextInt(3), random.nextInt(21) - 10);
      } else if (dice < 87) {
        cm.upsertTag(peer, "up", v -> v + 1);
      } else if (dice < 90) {
        cm.untagPeer(peer, "t" + random.nextInt(3));
      } else if (dice < 94) {
        decaying.bump(peer, random.nextInt(5));
      } else if (dice < 97) {
        if (random.nextBoolean()) {
          cm.protect(peer, "toggle");
        } else {
          cm.unprotect(peer, "toggle");
        }
      } else {
        clock.advance(STEP);
      }
    }
  }

  /**
   * Waits until a trimmer finished another {@code trim()} (counted on its own thread: listeners
   * hear rounds later, on callback threads), or every trimmer has stopped.
   */
  private void awaitAnotherRound() {
    int seen = trims.get();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (trims.get() == seen && trimmersRunning.get() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no round ran for 30 s");
      }
      Thread.yield();
    }
  }

  @RepeatedTest(3)
  void invariantsHoldAfterTransportsAndRoundsRaceEachOther() throws InterruptedException {
    for (int g = 0; g < GUARDS; g++) {
      PeerId id = PeerId.of("guard-" + g);
      guarded.add(id);
      cm.protect(id, "relay");
    }
    decaying =
        cm.registerDecayingTag(
            "gossip",
            Duration.ofSeconds(1),
            DecayFunctions.fixed(1),
            BumpFunctions.boundedSum(0, 20));
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onRound(TrimReport report) {
            rounds.incrementAndGet();
          }
        });

    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch transportsDone = new CountDownLatch(TRANSPORT_THREADS);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < TRANSPORT_THREADS; i++) {
      int seed = 1000 + i;
      threads.add(
          worker(
              "transport-" + i,
              start,
              () -> {
                try {
                  transport(seed);
                } finally {
                  transportsDone.countDown();
                }
              }));
    }
    for (int i = 0; i < 2; i++) {
      trimmersRunning.incrementAndGet();
      threads.add(
          worker(
              "trimmer-" + i,
              start,
              () -> {
                try {
                  for (int k = 0;
                      k < MAX_BACKGROUND_OPERATIONS && transportsDone.getCount() > 0;
                      k++) {
                    TrimReport report = cm.trim();
                    trims.incrementAndGet();
                    if (report.evicted().size() > Math.max(0, report.target())) {
                      violations.add("closed more than its target: " + report.summary());
                    }
                  }
                } finally {
                  trimmersRunning.decrementAndGet();
                }
              }));
    }
    threads.add(
        worker(
            "upkeep",
            start,
            () -> {
              for (int k = 0; k < MAX_BACKGROUND_OPERATIONS && transportsDone.getCount() > 0; k++) {
                cm.maintain();
              }
            }));
    threads.add(
        worker(
            "reader",
            start,
            () -> {
              for (int k = 0; k < MAX_BACKGROUND_OPERATIONS && transportsDone.getCount() > 0; k++) {
                Snapshot snap = cm.inspect().snapshot();
                int fromPeers = snap.peers().stream().mapToInt(p -> p.connections().size()).sum();
                if (fromPeers != snap.connections().size()) {
                  violations.add(
                      "snapshot lists "
                          + snap.connections().size()
                          + " connections but its peers hold "
                          + fromPeers);
                }
                cm.stats();
                cm.inspect().evictionHistory();
              }
            }));

    start.countDown();
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(30));
      assertThat(t.isAlive()).as("%s finished in time", t.getName()).isFalse();
    }

    assertThat(errors).isEmpty();
    assertThat(violations).isEmpty();
    assertQuiescentCountsAgree();
    assertThat(closedByManager).as("the rounds had work to do").isNotEmpty();
    Eventually.eventually(() -> assertThat(rounds.get()).isGreaterThan(0));

    // Afterwards a round behaves exactly as the counts say it should.
    clock.advance(GRACE);
    int before = cm.connectionCount();
    long guardedOpen = openHandles().stream().filter(c -> guarded.contains(c.peer())).count();
    long toggled = openHandles().stream().filter(c -> cm.isProtected(c.peer(), "toggle")).count();
    TrimReport last = cm.trim();
    int expected = before <= LOW ? before : (int) Math.max(LOW, guardedOpen + toggled);
    assertThat(cm.connectionCount()).isEqualTo(expected);
    assertThat(last.skipped().get(SkipReason.GRACE)).isZero();
    assertThat(violations).isEmpty();
    assertQuiescentCountsAgree();
  }

  private List<ManagedConnection> openHandles() {
    return everyConnection.stream().filter(ManagedConnection::isOpen).toList();
  }

  private void assertQuiescentCountsAgree() {
    List<ManagedConnection> open = openHandles();
    Snapshot snap = cm.inspect().snapshot();
    Set<Long> openIds = open.stream().map(ManagedConnection::id).collect(Collectors.toSet());
    Set<Long> snapIds =
        snap.connections().stream().map(ConnectionView::id).collect(Collectors.toSet());

    assertThat(cm.connectionCount()).isEqualTo(snap.connections().size()).isEqualTo(open.size());
    assertThat(snapIds).isEqualTo(openIds);
    assertThat(cm.stats().inbound() + cm.stats().outbound()).isEqualTo(open.size());
    assertThat(cm.stats().inbound())
        .isEqualTo((int) open.stream().filter(c -> c.direction() == Direction.INBOUND).count());
    assertThat(closedByManager).allSatisfy(id -> assertThat(openIds).doesNotContain(id));

    long openStreams = everyStream.stream().filter(ManagedStream::isOpen).count();
    int snapStreams = snap.connections().stream().mapToInt(ConnectionView::streamCount).sum();
    assertThat(cm.stats().streamCount()).isEqualTo(snapStreams).isEqualTo((int) openStreams);
    assertThat(everyStream)
        .filteredOn(ManagedStream::isOpen)
        .allSatisfy(s -> assertThat(openIds).contains(s.connection().id()));

    // what a round reads of each peer (its connections' slots, kept by every tag change) adds up
    // to the peer's tags as they stand after the races (tag, upsert, untag, bump, compaction)
    assertThat(cm.inspect().assess().connections())
        .allSatisfy(
            score ->
                assertThat(score.score())
                    .as("score of %s against its tags %s", score.peer(), score.breakdown())
                    .isEqualTo(
                        score.breakdown().values().stream()
                            .mapToDouble(Double::doubleValue)
                            .sum()));

    Set<PeerId> peersWithConnections =
        open.stream().map(ManagedConnection::peer).collect(Collectors.toSet());
    assertThat(snap.peers())
        .filteredOn(p -> !p.connections().isEmpty())
        .extracting(PeerSnapshot::id)
        .containsExactlyInAnyOrderElementsOf(peersWithConnections);
  }
}
