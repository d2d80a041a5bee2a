package io.connmgr.internal;

import io.connmgr.Registration;
import io.connmgr.inspect.ScorerInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** The registered scorers, by unique name; hands each round an immutable {@link ScorerSet}. */
final class ScorerRegistry {

  private final Map<String, Double> weights;
  private final List<RegisteredScorer> scorers = new CopyOnWriteArrayList<>();
  private volatile @Nullable Sets cached;

  ScorerRegistry(Map<String, Double> weights) {
    this.weights = Map.copyOf(weights);
  }

  double weightOf(String name) {
    return weights.getOrDefault(name, 1.0);
  }

  synchronized Registration register(RegisteredScorer scorer) {
    for (RegisteredScorer existing : scorers) {
      if (existing.name().equals(scorer.name())) {
        throw new IllegalArgumentException(
            "a scorer named '" + scorer.name() + "' is already registered");
      }
    }
    scorers.add(scorer);
    cached = null;
    return () -> unregister(scorer);
  }

  private synchronized void unregister(RegisteredScorer scorer) {
    if (scorers.remove(scorer)) {
      cached = null;
      scorer.retire();
    }
  }

  /** Every registered scorer, for a round or an assessment. */
  ScorerSet current() {
    return sets().all();
  }

  /** Only the peer scorers: what rates a newcomer's peer at admission. */
  ScorerSet peerScorers() {
    return sets().peerOnly();
  }

  private Sets sets() {
    Sets sets = cached;
    if (sets == null) {
      synchronized (this) {
        sets = cached;
        if (sets == null) {
          List<RegisteredScorer> all = List.copyOf(scorers);
          List<RegisteredScorer> peerOnly = new ArrayList<>();
          for (RegisteredScorer s : all) {
            if (s.kind() == ScorerInfo.Kind.PEER) {
              peerOnly.add(s);
            }
          }
          // a loop, not a stream: a fresh manager builds its sets once, in interpreted code
          sets = new Sets(new ScorerSet(all), new ScorerSet(peerOnly));
          cached = sets;
        }
      }
    }
    return sets;
  }

  /** The scorer sets of the current registrations, rebuilt after each change. */
  private record Sets(ScorerSet all, ScorerSet peerOnly) {}

  List<ScorerInfo> infos() {
    List<ScorerInfo> infos = new ArrayList<>();
    for (RegisteredScorer s : scorers) {
      infos.add(s.info());
    }
    return infos;
  }

  /** The scorers of one round, split by kind; a scorer's column is its index in {@link #all}. */
  static final class ScorerSet {
    private final RegisteredScorer[] all;
    private final int[] peerColumns;
    private final int[] connectionColumns;
    private final Map<String, int[]> streamColumnsByProtocol;
    private final int[] streamColumns;

    ScorerSet(List<RegisteredScorer> scorers) {
      this.all = scorers.toArray(new RegisteredScorer[0]);
      List<Integer> peer = new ArrayList<>();
      List<Integer> connection = new ArrayList<>();
      List<Integer> anyStream = new ArrayList<>();
      Map<String, List<Integer>> stream = new HashMap<>();
      for (int col = 0; col < all.length; col++) {
        switch (all[col].kind()) {
          case PEER -> peer.add(col);
          case CONNECTION -> connection.add(col);
          case STREAM -> {
            anyStream.add(col);
            stream.computeIfAbsent(all[col].protocol(), p -> new ArrayList<>()).add(col);
          }
        }
      }
      this.peerColumns = toArray(peer);
      this.connectionColumns = toArray(connection);
      Map<String, int[]> byProtocol = new HashMap<>();
      stream.forEach((protocol, cols) -> byProtocol.put(protocol, toArray(cols)));
      this.streamColumnsByProtocol = byProtocol;
      this.streamColumns = toArray(anyStream);
    }

    boolean isEmpty() {
      return all.length == 0;
    }

    /** Every scorer, by column (shared; not to be changed). */
    RegisteredScorer[] all() {
      return all;
    }

    /** The columns of the peer scorers (shared; not to be changed). */
    int[] peerColumns() {
      return peerColumns;
    }

    /** The columns of the connection scorers (shared; not to be changed). */
    int[] connectionColumns() {
      return connectionColumns;
    }

    /** The columns of the stream scorers, by the protocol they score (shared). */
    Map<String, int[]> streamColumnsByProtocol() {
      return streamColumnsByProtocol;
    }

    /** The columns of every stream scorer (shared; not to be changed). */
    int[] streamColumns() {
      return streamColumns;
    }

    private static int[] toArray(List<Integer> list) {
      int[] array = new int[list.size()];
      for (int i = 0; i < array.length; i++) {
        array[i] = list.get(i);
      }
      return array;
    }
  }
}
