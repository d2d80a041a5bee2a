package io.connmgr;

import static io.connmgr.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A listener is sent the kinds of event whose methods it overrides, all of them, in order, whoever
 * else listens: leaving the others out (a round's closes for a listener that only counts evictions)
 * loses it nothing.
 */
class ListenerKindsTest {

  /** Hears evictions only. */
  static class Evictions implements ConnectionManagerListener {
    final List<String> heard = new CopyOnWriteArrayList<>();

    @Override
    public void onEviction(EvictionRecord record) {
      heard.add("evicted " + record.peer().value());
    }
  }

  /** Inherits its parent's one override and adds closes and opens. */
  static class EvictionsClosesAndOpens extends Evictions {
    @Override
    public void onConnectionClosed(ConnectionView connection) {
      heard.add("closed " + connection.peer().value());
    }

    @Override
    public void onConnectionOpened(ConnectionView connection) {
      heard.add("opened " + connection.peer().value());
    }
  }

  /** A listener interface of the application's, whose default method is an override. */
  interface RoundListener extends ConnectionManagerListener {
    List<String> heard();

    @Override
    default void onRound(TrimReport report) {
      heard().add("round of " + report.evicted().size());
    }
  }

  record Rounds(List<String> heard) implements RoundListener {}

  @Test
  void eachListenerHearsExactlyTheKindsItOverrides() {
    try (Harness h = new Harness(1, 2)) {
      Evictions evictions = new Evictions();
      EvictionsClosesAndOpens more = new EvictionsClosesAndOpens();
      Rounds rounds = new Rounds(new CopyOnWriteArrayList<>());
      List<String> proxied = new CopyOnWriteArrayList<>();
      ConnectionManagerListener everything =
          (ConnectionManagerListener)
              Proxy.newProxyInstance(
                  getClass().getClassLoader(),
                  new Class<?>[] {ConnectionManagerListener.class},
                  (proxy, method, args) -> {
                    if (method.getName().startsWith("on")) {
                      proxied.add(method.getName());
                    }
                    return null;
                  });
      h.cm.addListener(evictions);
      h.cm.addListener(more);
      h.cm.addListener(rounds);
      h.cm.addListener(everything);

      h.open("a");
      h.open("b");
      ManagedConnection c = h.open("c");
      h.cm.tagPeer(PeerId.of("a"), "keep", 10);
      h.cm.tagPeer(PeerId.of("b"), "keep", 5);
      h.pastGrace();
      h.cm.trim();
      c.closed(); // the transport's close of a connection the round already closed: no event
      h.open("d").closed();

      eventually(
          () -> {
            assertThat(evictions.heard).containsExactly("evicted c", "evicted b");
            assertThat(more.heard)
                .containsExactly(
                    "opened a",
                    "opened b",
                    "opened c",
                    "closed c",
                    "evicted c",
                    "closed b",
                    "evicted b",
                    "opened d",
                    "closed d");
            assertThat(rounds.heard()).containsExactly("round of 2");
            assertThat(proxied)
                .containsSubsequence(
                    "onConnectionOpened",
                    "onConnectionClosed",
                    "onEviction",
                    "onRound",
                    "onConnectionOpened",
                    "onConnectionClosed");
          });
    }
  }

  @Test
  void aListenerThatOverridesNothingHearsNothingAndLosesNothingForOthers() {
    try (Harness h = new Harness(1, 2)) {
      h.cm.addListener(new ConnectionManagerListener() {});
      Evictions evictions = new Evictions();
      Registration registration = h.cm.addListener(evictions);
      h.open("a");
      h.open("b");
      h.open("c");
      h.pastGrace();
      h.cm.trim();
      eventually(() -> assertThat(evictions.heard).hasSize(2));
      registration.close();
      h.open("d");
      h.open("e");
      h.pastGrace();
      h.cm.trim();
      assertThat(h.closed).hasSize(4);
      assertThat(evictions.heard).hasSize(2); // unregistered: the second round's not sent
    }
  }

  /**
   * Listeners of other kinds added and removed on another thread while rounds run never cost a
   * listener that stays an event: what the bus sends a kind to is recomputed at each change.
   */
  @Test
  void listenersComingAndGoingNeverCostAStayingListenerAnEvent() throws Exception {
    try (Harness h = new Harness(1, 2)) {
      EvictionsClosesAndOpens staying = new EvictionsClosesAndOpens();
      h.cm.addListener(staying);
      AtomicBoolean done = new AtomicBoolean();
      ExecutorService churn = Executors.newSingleThreadExecutor();
      Future<Integer> registrations =
          churn.submit(
              () -> {
                int n = 0;
                while (!done.get()) {
                  // one that hears evictions, one that hears closes and opens, one that hears none
                  h.cm.addListener(new Evictions()).close();
                  h.cm.addListener(new EvictionsClosesAndOpens()).close();
                  h.cm.addListener(new ConnectionManagerListener() {}).close();
                  n += 3;
                }
                return n;
              });
      int evicted = 0;
      int rounds = 300;
      for (int r = 0; r < rounds; r++) {
        for (int k = 0; k < 3; k++) {
          h.open("r" + r + "p" + k);
        }
        h.pastGrace();
        evicted += h.cm.trim().evicted().size();
      }
      done.set(true);
      assertThat(registrations.get(10, TimeUnit.SECONDS)).isPositive();
      churn.shutdown();

      int opened = 3 * rounds;
      int closed = evicted;
      assertThat(evicted).isEqualTo(h.closed.size()).isGreaterThanOrEqualTo(2 * rounds);
      eventually(
          () -> {
            assertThat(staying.heard.stream().filter(e -> e.startsWith("opened "))).hasSize(opened);
            assertThat(staying.heard.stream().filter(e -> e.startsWith("closed "))).hasSize(closed);
            assertThat(staying.heard.stream().filter(e -> e.startsWith("evicted ")))
                .hasSize(closed);
          });
    }
  }
}
