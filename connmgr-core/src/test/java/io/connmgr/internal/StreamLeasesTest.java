package io.connmgr.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A stream counts the leases taken from it that its connection still holds, so that closing a
 * stream that holds none (most of them) walks none of the connection's leases, and closing one that
 * holds some releases exactly those.
 */
class StreamLeasesTest {

  private static LeaseImpl lease(SlotFixture f, ConnectionEntry c, StreamEntry s) {
    return f.transport.lease(c, s, Duration.ofSeconds(30), LeaseListener.releasing());
  }

  @Test
  void closingAStreamReleasesItsOwnLeasesAndNoOther() {
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry c = f.open(SlotFixture.peer(1), Direction.INBOUND);
      StreamEntry s1 = f.transport.openStream(c, "/a", Direction.OUTBOUND);
      StreamEntry s2 = f.transport.openStream(c, "/b", Direction.OUTBOUND);
      StreamEntry idle = f.transport.openStream(c, "/c", Direction.OUTBOUND);
      LeaseImpl onConnection = f.lease(c);
      LeaseImpl first = lease(f, c, s1);
      LeaseImpl second = lease(f, c, s1);
      LeaseImpl other = lease(f, c, s2);
      assertThat(s1.leaseCount()).isEqualTo(2);

      first.release();
      assertThat(s1.leaseCount()).isEqualTo(1);
      f.transport.closeStream(idle);
      assertThat(c.leaseArray()).containsExactly(onConnection, second, other);

      f.transport.closeStream(s1);

      assertThat(s1.leaseCount()).isZero();
      assertThat(second.isReleased()).isTrue();
      assertThat(c.leaseArray()).containsExactly(onConnection, other);
      f.transport.closeStream(s2);
      assertThat(c.leaseArray()).containsExactly(onConnection);
      assertThat(other.isReleased()).isTrue();
      assertThat(onConnection.isReleased()).isFalse();
      f.assertConsistent();
    }
  }

  /**
   * Random takes, releases and stream closes: every stream's count is the number of leases its
   * connection holds that were taken from it, and a closed stream leaves none behind.
   */
  @Test
  void eachStreamsCountIsWhatItsConnectionHoldsOfIt() {
    SplittableRandom random = new SplittableRandom(12);
    try (SlotFixture f = new SlotFixture()) {
      ConnectionEntry c = f.open(SlotFixture.peer(1), Direction.INBOUND);
      List<StreamEntry> open = new ArrayList<>();
      List<StreamEntry> closed = new ArrayList<>();
      List<LeaseImpl> leases = new ArrayList<>();
      for (int step = 0; step < 5_000; step++) {
        int op = random.nextInt(10);
        if (op < 2 || open.isEmpty()) {
          open.add(f.transport.openStream(c, "/p", Direction.OUTBOUND));
        } else if (op < 6) {
          StreamEntry s = open.get(random.nextInt(open.size()));
          leases.add(random.nextBoolean() ? lease(f, c, s) : f.lease(c));
        } else if (op < 8 && !leases.isEmpty()) {
          leases.remove(random.nextInt(leases.size())).release();
        } else {
          StreamEntry s = open.remove(random.nextInt(open.size()));
          f.transport.closeStream(s);
          closed.add(s);
        }
      }
      for (StreamEntry s : open) {
        assertThat(s.leaseCount()).isEqualTo(held(c, s));
      }
      for (StreamEntry s : closed) {
        assertThat(s.leaseCount()).isZero();
        assertThat(held(c, s)).isZero();
      }
      f.assertConsistent();
    }
  }

  private static int held(ConnectionEntry c, StreamEntry s) {
    int n = 0;
    for (LeaseImpl lease : c.leaseArray()) {
      if (lease.stream() == s) {
        n++;
      }
    }
    return n;
  }
}
