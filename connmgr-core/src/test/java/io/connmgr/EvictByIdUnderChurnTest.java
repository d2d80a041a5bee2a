package io.connmgr;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections are looked up by id without a map by id: while transports open and close connections
 * and rounds run, an operator's {@code evict(id)} closes exactly the open connection of that id,
 * never one already closed, never one twice, and the counts agree at the end.
 */
class EvictByIdUnderChurnTest {

  private static final int PEERS = 50;
  private static final int OPENS_PER_TRANSPORT = 4_000;

  private final ManualClock clock = new ManualClock();
  private final ConnectionManager cm =
      ConnectionManager.builder()
          .clock(clock)
          .maintenanceInterval(Duration.ZERO)
          .gracePeriod(Duration.ZERO)
          .lowWater(10)
          .highWater(30)
          .build();
  private final Set<Long> closedByManager = ConcurrentHashMap.newKeySet();
  private final Queue<String> violations = new ConcurrentLinkedQueue<>();
  private final List<ManagedConnection> opened = new CopyOnWriteArrayList<>();

  @AfterEach
  void closeManager() {
    cm.close();
  }

  @Test
  void evictByIdClosesExactlyTheOpenConnectionOfThatId() throws Exception {
    AtomicBoolean done = new AtomicBoolean();
    AtomicInteger evictedByOperator = new AtomicInteger();
    Thread[] transports = new Thread[2];
    for (int t = 0; t < transports.length; t++) {
      Random random = new Random(t);
      transports[t] =
          new Thread(
              () -> {
                for (int k = 0; k < OPENS_PER_TRANSPORT; k++) {
                  ManagedConnection c;
                  try {
                    c = open(PeerId.of("p" + random.nextInt(PEERS)));
                  } catch (ConnectionRefusedException e) {
                    // at high water, a peer evicted lately is refused (its backoff never ends
                    // on this clock): a transport drops that connection and goes on
                    continue;
                  }
                  if (random.nextBoolean()) {
                    c.closed(); // the transport closes it; after a close by the manager, a no-op
                  }
                }
              });
    }
    Thread operator =
        new Thread(
            () -> {
              Random random = new Random(99);
              while (!done.get()) {
                int size = opened.size();
                if (size == 0) {
                  continue;
                }
                ManagedConnection c = opened.get(random.nextInt(size));
                boolean wasOpen = c.isOpen();
                if (cm.evict(c.id(), "operator")) {
                  evictedByOperator.incrementAndGet();
                  if (!wasOpen) {
                    violations.add("evicted " + c.id() + ", closed before the call");
                  }
                }
              }
            });
    Thread rounds =
        new Thread(
            () -> {
              while (!done.get()) {
                cm.trim();
              }
            });
    for (Thread t : transports) {
      t.start();
    }
    operator.start();
    rounds.start();
    for (Thread t : transports) {
      t.join();
    }
    done.set(true);
    operator.join();
    rounds.join();

    assertThat(violations).isEmpty();
    assertThat(evictedByOperator.get()).isPositive();
    long open = opened.stream().filter(ManagedConnection::isOpen).count();
    assertThat(cm.connectionCount()).isEqualTo(open);
    assertThat(cm.inspect().snapshot().connections()).hasSize((int) open);
    for (ManagedConnection c : opened) {
      boolean wasOpen = c.isOpen();
      assertThat(cm.evict(c.id(), "again"))
          .as("evict(%d) finds it exactly when it is open", c.id())
          .isEqualTo(wasOpen);
    }
    assertThat(cm.connectionCount()).isZero();
  }

  private ManagedConnection open(PeerId peer) {
    AtomicReference<ManagedConnection> handle = new AtomicReference<>();
    ManagedConnection c =
        cm.connectionOpened(
            peer,
            Direction.INBOUND,
            "10.0.0.1:4001",
            why -> {
              if (!closedByManager.add(why.connectionId())) {
                violations.add("closed twice: " + why.connectionId());
              }
              ManagedConnection h;
              while ((h = handle.get()) == null) {
                Thread.onSpinWait(); // a round may close it before connectionOpened returned its
                // handle
              }
              h.closed();
            });
    handle.set(c);
    opened.add(c);
    return c;
  }
}
