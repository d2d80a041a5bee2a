package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static io.connmgr.Managers.PAST_GRACE;
import static io.connmgr.Managers.peer;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Closers that fail, listeners that throw, and callbacks that call back into the manager. */
class FailureTest {

  private final ManualClock clock = new ManualClock();
  private final RecordingCloser closer = new RecordingCloser();
  private final ConnectionManager cm = Managers.manager(clock, 1, 10);
  private final ExecutorService helper = Executors.newSingleThreadExecutor();
  private final CapturedLog log = new CapturedLog();

  @AfterEach
  void closeManager() {
    cm.close();
    helper.shutdownNow();
    log.close();
  }

  @Test
  void aCloserThatThrowsLeavesTheConnectionOpenCountedAndReported() {
    List<Exception> failures = new CopyOnWriteArrayList<>();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onCloseFailure(ConnectionView connection, Exception failure) {
            failures.add(failure);
          }
        });
    ManagedConnection stubborn = closer.open(cm, "stubborn");
    ManagedConnection fine = closer.open(cm, "fine");
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 100);
    closer.failFor(stubborn.id());
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(stubborn.isOpen()).isTrue();
    assertThat(fine.isOpen()).isFalse();
    assertThat(cm.connectionCount()).isEqualTo(2);
    assertThat(report.skipped().get(SkipReason.CLOSE_FAILED)).isEqualTo(1);
    assertThat(report.evicted())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(fine.id());
    assertThat(report.reachedTarget()).isFalse();
    assertThat(cm.inspect().evictionHistory())
        .extracting(EvictionRecord::connectionId)
        .doesNotContain(stubborn.id());
    eventually(() -> assertThat(failures).hasSize(1));
    assertThat(failures)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("socket refused to close"));
    assertThat(cm.inspect().snapshot().connections())
        .extracting(ConnectionView::id)
        .contains(stubborn.id());
    assertThat(log.warnings())
        .singleElement()
        .asString()
        .contains("closer")
        .contains("stubborn")
        .contains("socket refused to close");
  }

  @Test
  void aFailedCloseIsRetriedNextRoundAndThenSucceeds() {
    ManagedConnection stubborn = closer.open(cm, "stubborn");
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 100);
    closer.failFor(stubborn.id());
    clock.advance(PAST_GRACE);
    assertThat(cm.trim().skipped().get(SkipReason.CLOSE_FAILED)).isEqualTo(1);

    closer.heal(stubborn.id());
    TrimReport retry = cm.trim();

    assertThat(retry.evicted())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(stubborn.id());
    assertThat(retry.skipped().get(SkipReason.CLOSE_FAILED)).isZero();
    assertThat(stubborn.isOpen()).isFalse();
    assertThat(cm.connectionCount()).isEqualTo(1);
  }

  @Test
  void aFailedCloseIsRetriedByTheNextAutomaticRound() {
    closer.openMany(cm, "p", 11);
    clock.advance(java.time.Duration.ofSeconds(1));
    ManagedConnection stubborn = closer.open(cm, "stubborn"); // youngest: chosen first
    closer.failFor(stubborn.id());
    clock.advance(PAST_GRACE);

    cm.maintain();
    assertThat(cm.connectionCount()).isEqualTo(2);
    assertThat(stubborn.isOpen()).isTrue();

    closer.heal(stubborn.id());
    closer.openMany(cm, "q", 9); // 11 open: above high water again
    clock.advance(PAST_GRACE);
    cm.maintain();

    assertThat(stubborn.isOpen()).as("closed when the next round chose it again").isFalse();
    assertThat(cm.connectionCount()).isEqualTo(1);
  }

  @Test
  void anOperatorEvictionWhoseCloserThrowsReturnsFalseAndKeepsTheConnection() {
    ManagedConnection stubborn = closer.open(cm, "stubborn");
    closer.failFor(stubborn.id());

    assertThat(cm.evict(stubborn.id(), "operator")).isFalse();
    assertThat(stubborn.isOpen()).isTrue();
    assertThat(cm.connectionCount()).isEqualTo(1);

    closer.heal(stubborn.id());
    assertThat(cm.evict(stubborn.id(), "operator")).isTrue();
    assertThat(stubborn.isOpen()).isFalse();
  }

  @Test
  void aCloserThatThrowsAnUncheckedExceptionFailsOnlyThatClose() {
    ManagedConnection a = closer.open(cm, "a");
    ManagedConnection c = closer.open(cm, "c");
    clock.advance(java.time.Duration.ofSeconds(1));
    ManagedConnection b = closer.open(cm, "b"); // the youngest: first in line
    closer.beforeClose(
        why -> {
          if (why.connectionId() == b.id()) {
            throw new IllegalStateException("transport bug");
          }
        });
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(report.evicted()).hasSize(1);
    assertThat(report.skipped().get(SkipReason.CLOSE_FAILED)).isEqualTo(1);
    assertThat(b.isOpen()).isTrue();
    assertThat(report.evicted().get(0).connectionId()).isIn(a.id(), c.id());
    assertThat(List.of(a.isOpen(), c.isOpen())).containsExactlyInAnyOrder(true, false);
  }

  /**
   * An error a careless closer throws (a failed assertion, a runaway recursion) fails that close as
   * an exception does: the connection stays open and counted, nothing stays "closing", and the next
   * round tries again.
   */
  @Test
  void aCloserThatThrowsAnErrorFailsOnlyThatCloseAndLeavesTheCountRight() {
    ManagedConnection a = closer.open(cm, "a");
    ManagedConnection b = closer.open(cm, "b");
    cm.tagPeer(peer("b"), "t", 1);
    int[] calls = new int[1];
    closer.beforeClose(
        why -> {
          if (why.connectionId() == a.id() && calls[0]++ == 0) {
            throw new AssertionError("closer's own check failed");
          }
          if (why.connectionId() == a.id() && calls[0] == 2) {
            throw new StackOverflowError();
          }
        });
    clock.advance(PAST_GRACE);

    for (int round = 0; round < 2; round++) {
      TrimReport failed = cm.trim();
      assertThat(failed.evicted()).isEmpty();
      assertThat(failed.skipped().get(SkipReason.CLOSE_FAILED)).isEqualTo(1);
      assertThat(a.isOpen()).isTrue();
      assertThat(cm.connectionCount()).isEqualTo(2);
    }

    TrimReport retried = cm.trim();
    assertThat(retried.evicted())
        .singleElement()
        .satisfies(r -> assertThat(r.peer()).isEqualTo(peer("a")));
    assertThat(b.isOpen()).isTrue();
    assertThat(cm.connectionCount()).isEqualTo(1);
  }

  /**
   * A listener that throws an error keeps hearing its later events, as one that throws an exception
   * does.
   */
  @Test
  void aListenerThatThrowsAnErrorKeepsHearingLaterEvents() {
    List<String> heard = new CopyOnWriteArrayList<>();
    cm.addListener(
        new ConnectionManagerListener() {
          @Override
          public void onConnectionOpened(ConnectionView connection) {
            String peer = connection.peer().value();
            heard.add(peer);
            if (peer.equals("a")) {
              throw new AssertionError("listener's own check failed");
            }
            if (peer.equals("b")) {
              throw new StackOverflowError();
            }
          }
        });
    closer.open(cm, "a");
    closer.open(cm, "b");
    closer.open(cm, "c");
    eventually(() -> assertThat(heard).containsExactly("a", "b", "c"));
  }

  @Test
  void aListenerThatThrowsDisturbsNeitherTheRoundNorOtherListeners() {
    ConnectionManagerListener broken =
        new ConnectionManagerListener() {
          @Override
          public void onConnectionOpened(ConnectionView connection) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onConnectionClosed(ConnectionView connection) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onEviction(EvictionRecord record) {
            throw new IllegalStateException("listener bug");
          }

          @Override
          public void onRound(TrimReport report) {
            throw new IllegalStateException("listener bug");
          }
        };
    List<String> seen = new CopyOnWriteArrayList<>();
    ConnectionManagerListener healthy =
        new ConnectionManagerListener() {
          @Override
          public void onConnectionOpened(ConnectionView connection) {
            seen.add("opened " + connection.peer());
          }

          @Override
          public void onConnectionClosed(ConnectionView connection) {
            seen.add("closed " + connection.peer());
          }

          @Override
          public void onEviction(EvictionRecord record) {
            seen.add("evicted " + record.peer());
          }

          @Override
          public void onRound(TrimReport report) {
            seen.add("round " + report.evicted().size());
          }
        };
    cm.addListener(broken);
    cm.addListener(healthy);

    closer.open(cm, "a");
    closer.open(cm, "b");
    cm.tagPeer(peer("b"), "t", 1);
    clock.advance(PAST_GRACE);
    TrimReport report = cm.trim();

    assertThat(report.evicted())
        .singleElement()
        .satisfies(r -> assertThat(r.peer()).isEqualTo(peer("a")));
    assertThat(cm.connectionCount()).isEqualTo(1);
    eventually(
        () ->
            assertThat(seen)
                .containsExactly("opened a", "opened b", "closed a", "evicted a", "round 1"));
    eventually(() -> assertThat(log.warnings()).hasSize(5));
    assertThat(log.warnings()).hasSize(5).allSatisfy(w -> assertThat(w).contains("listener bug"));
  }

  @Test
  void aClosedListenerRegistrationStopsEvents() {
    List<String> seen = new CopyOnWriteArrayList<>();
    Registration registration =
        cm.addListener(
            new ConnectionManagerListener() {
              @Override
              public void onConnectionOpened(ConnectionView connection) {
                seen.add(connection.peer().value());
              }
            });
    closer.open(cm, "a");
    eventually(() -> assertThat(seen).containsExactly("a"));

    registration.close();
    registration.close();
    closer.open(cm, "b");

    assertThat(seen).containsExactly("a");
  }

  @Test
  void closersRunOutsideEveryLockOfTheManager() {
    ManagedConnection victim = closer.open(cm, "victim");
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 1);
    clock.advance(PAST_GRACE);
    AtomicReference<Throwable> problem = new AtomicReference<>();
    AtomicReference<String> done = new AtomicReference<>();
    closer.beforeClose(
        why -> {
          // Another thread touches the same peer and the whole table while this closer waits:
          // had the round kept a lock, it would block and the wait would time out.
          CompletableFuture<String> other =
              CompletableFuture.supplyAsync(
                  () -> {
                    cm.tagPeer(why.peer(), "touched", 1);
                    int peers = cm.inspect().snapshot().peers().size();
                    return "count="
                        + cm.connectionCount()
                        + " peers="
                        + peers
                        + " tags="
                        + cm.inspect().tagInfo(why.peer()).orElseThrow().tags().keySet();
                  },
                  helper);
          try {
            done.set(other.get(5, TimeUnit.SECONDS));
          } catch (Exception e) {
            problem.set(e);
            throw e;
          }
        });

    TrimReport report = cm.trim();

    assertThat(problem.get()).isNull();
    assertThat(done.get()).isEqualTo("count=2 peers=2 tags=[touched]");
    assertThat(report.evicted())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(victim.id());
  }

  @Test
  void listenersRunOutsideEveryLockOfTheManager() {
    List<String> results = new CopyOnWriteArrayList<>();
    List<Throwable> problems = new CopyOnWriteArrayList<>();
    cm.addListener(
        new ConnectionManagerListener() {
          private void callFromAnotherThread(PeerId peer) {
            try {
              results.add(
                  CompletableFuture.supplyAsync(
                          () -> {
                            cm.upsertTag(peer, "seen", v -> v + 1);
                            return cm.inspect().snapshot().connections().size()
                                + "/"
                                + cm.connectionCount();
                          },
                          helper)
                      .get(5, TimeUnit.SECONDS));
            } catch (Exception e) {
              problems.add(e);
            }
          }

          @Override
          public void onConnectionOpened(ConnectionView connection) {
            callFromAnotherThread(connection.peer());
          }

          @Override
          public void onEviction(EvictionRecord record) {
            callFromAnotherThread(peer("keeper"));
          }

          @Override
          public void onRound(TrimReport report) {
            callFromAnotherThread(peer("keeper"));
          }
        });
    closer.open(cm, "victim");
    closer.open(cm, "keeper");
    clock.advance(PAST_GRACE);

    cm.trim();

    eventually(() -> assertThat(results).hasSize(4));
    assertThat(problems).isEmpty();
  }

  @Test
  void aCloserThatStartsATrimFromTheRoundsThreadIsRefusedAndCountsAsAFailedClose() {
    ManagedConnection victim = closer.open(cm, "victim");
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 1);
    clock.advance(PAST_GRACE);
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    closer.beforeClose(
        why -> {
          try {
            cm.trim();
          } catch (IllegalStateException e) {
            thrown.set(e);
            throw e;
          }
        });

    TrimReport report = cm.trim();

    assertThat(thrown.get())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("trim() must not be called from a callback")
        .hasMessageContaining("the closer of connection");
    assertThat(report.skipped().get(SkipReason.CLOSE_FAILED)).isEqualTo(1);
    assertThat(victim.isOpen()).isTrue();
  }

  @Test
  void aCloserThatReportsTheCloseItselfAndThenThrowsStillCountsAsClosed() {
    ManagedConnection[] self = new ManagedConnection[1];
    // The transport saw the socket go and reported it while its closer ran, then complained.
    ManagedConnection reporting =
        cm.connectionOpened(
            peer("reporting"),
            Direction.INBOUND,
            "y",
            why -> {
              self[0].closed();
              throw new java.io.IOException("late failure");
            });
    self[0] = reporting;
    closer.open(cm, "keeper");
    cm.tagPeer(peer("keeper"), "t", 1);
    clock.advance(PAST_GRACE);

    TrimReport report = cm.trim();

    assertThat(reporting.isOpen()).isFalse();
    assertThat(cm.connectionCount()).isEqualTo(1);
    assertThat(report.skipped().get(SkipReason.CLOSE_FAILED)).isZero();
    assertThat(report.evicted())
        .extracting(EvictionRecord::connectionId)
        .containsExactly(reporting.id());
  }
}
