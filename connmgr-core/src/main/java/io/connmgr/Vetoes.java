package io.connmgr;

import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Ready-made {@link CloseVeto}s that keep a floor under a group of connections: "never empty a DHT
 * bucket", "keep the mesh at D_low", "keep at least two relays".
 *
 * <p>Each counts the group's open connections once per round, at its first review in that round,
 * and subtracts the group's connections the round already planned to close; it vetoes a candidate
 * whose close would leave fewer than {@code n}. A veto keeps only what is there: it never opens
 * connections, so a group that already has fewer than {@code n} loses none to a round. The returned
 * vetoes are thread-safe; a round's count costs time linear in the open connections, and each
 * further review of the round constant time (plus the planned ones it has not seen yet).
 */
public final class Vetoes {

  private Vetoes() {}

  /**
   * Keeps at least {@code n} open connections that {@code group} accepts.
   *
   * @param n the floor, positive
   * @param group which connections make up the group; called once per open connection per round and
   *     once per candidate, so it must be cheap and must not call the manager
   */
  public static CloseVeto keepAtLeast(int n, Predicate<ConnectionView> group) {
    checkFloor(n);
    Objects.requireNonNull(group, "group");
    return new GroupFloor(n, c -> group.test(c) ? Boolean.TRUE : null, g -> "its group");
  }

  /**
   * Keeps at least {@code n} open connections in every group: {@code groupOf} names a connection's
   * group (a bucket index, a topic, a role), or returns null for a connection in none, which this
   * veto never holds back. Groups are compared with {@code equals}.
   *
   * @param n the floor per group, positive
   * @param groupOf a connection's group, or null; called once per open connection per round and
   *     once per candidate, so it must be cheap and must not call the manager
   */
  public static CloseVeto keepAtLeastPerGroup(
      int n, Function<ConnectionView, ? extends @Nullable Object> groupOf) {
    checkFloor(n);
    return new GroupFloor(n, Objects.requireNonNull(groupOf, "groupOf"), g -> "group " + g);
  }

  private static void checkFloor(int n) {
    if (n <= 0) {
      throw new IllegalArgumentException("n must be positive, was " + n);
    }
  }

  /** The veto behind both factories: a floor per group, counted once per round. */
  private static final class GroupFloor implements CloseVeto {

    private final int floor;
    private final Function<ConnectionView, ? extends @Nullable Object> groupOf;
    private final Function<Object, String> describe;

    /** The round the counts are for; weak, so a finished round is not kept alive. */
    private WeakReference<@Nullable TrimRound> countedFor = new WeakReference<>(null);

    /** Per group: open connections at the round's first review, less those planned since. */
    private final Map<Object, Integer> left = new HashMap<>();

    /** How many of the round's planned connections were subtracted already. */
    private int plannedSeen;

    GroupFloor(
        int floor,
        Function<ConnectionView, ? extends @Nullable Object> groupOf,
        Function<Object, String> describe) {
      this.floor = floor;
      this.groupOf = groupOf;
      this.describe = describe;
    }

    @Override
    public synchronized Verdict review(ConnectionView candidate, TrimRound round) {
      Object group = groupOf.apply(candidate);
      if (group == null) {
        return Verdict.allow();
      }
      if (countedFor.get() != round) {
        count(round);
      }
      subtractPlanned(round.planned());
      int remaining = left.getOrDefault(group, 0);
      if (remaining - 1 < floor) {
        return Verdict.veto(
            "keeps at least "
                + floor
                + " of "
                + describe.apply(group)
                + " open ("
                + remaining
                + " left)");
      }
      return Verdict.allow();
    }

    private void count(TrimRound round) {
      left.clear();
      plannedSeen = 0;
      for (ConnectionView c : round.openConnections()) {
        Object group = groupOf.apply(c);
        if (group != null) {
          left.merge(group, 1, Integer::sum);
        }
      }
      countedFor = new WeakReference<>(round);
    }

    private void subtractPlanned(List<? extends ConnectionView> planned) {
      int size = planned.size();
      for (int i = plannedSeen; i < size; i++) {
        Object group = groupOf.apply(planned.get(i));
        if (group != null) {
          left.computeIfPresent(group, (g, count) -> count - 1);
        }
      }
      plannedSeen = Math.max(plannedSeen, size);
    }
  }
}
