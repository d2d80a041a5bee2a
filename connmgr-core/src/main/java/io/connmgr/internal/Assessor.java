package io.connmgr.internal;

import io.connmgr.Assessment;
import io.connmgr.ConnectionScore;
import io.connmgr.SkipReason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Scores every open connection as a round would, closing nothing: what the console and the
 * actuator show. Scorers run through the same watched pass, so a hanging one costs one budget.
 */
final class Assessor {

  private Assessor() {}

  static Assessment assess(Engine engine) throws InterruptedException {
    long now = engine.clock.nanos();
    long graceStart = now - engine.settings.gracePeriod().toNanos();
    int expected = engine.table.connectionCount() + 16;
    ConnectionEntry[] all = new ConnectionEntry[expected];
    SkipReason[] held = new SkipReason[expected];
    int[] tagValues = new int[expected];
    int n = 0;
    for (PeerEntry peer : engine.table.peers()) {
      boolean isProtected = peer.protectedFlag;
      int tagValue = peer.tagValue();
      for (ConnectionEntry c : peer.connectionArray()) {
        if (c.state() == ConnectionEntry.CLOSED) {
          continue;
        }
        if (n == all.length) {
          all = Arrays.copyOf(all, n * 2);
          held = Arrays.copyOf(held, n * 2);
          tagValues = Arrays.copyOf(tagValues, n * 2);
        }
        all[n] = c;
        held[n] = Round.heldBack(c, isProtected, graceStart, now);
        tagValues[n] = tagValue;
        n++;
      }
    }
    ScoringPass pass = new ScoringPass(engine.scorers.current(), all, n,
        engine.settings.scorerBudget().toNanos());
    pass.run(engine.scorerThreads);
    pass.publish(true, engine::reportScorerFailure);

    List<Ranked> ranked = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      ConnectionEntry c = all[i];
      SkipReason reason = held[i] == null && pass.kept(i) ? SkipReason.KEPT_BY_SCORER : held[i];
      Map<String, Double> breakdown = c.peer.tagBreakdown();
      pass.forEachPart(i, (name, part) -> breakdown.put("scorer:" + name, part));
      double score = tagValues[i] + pass.scorersTotal(i);
      ranked.add(new Ranked(new ConnectionScore(c.id, c.peer.id, c.direction, score, reason,
          breakdown), Round.tieKey(c, c.peer.connectionArray().length == 1, now)));
    }
    ranked.sort(Comparator.comparing((Ranked r) -> r.score.heldBack() != null)
        .thenComparingDouble(r -> r.score.score())
        .thenComparingLong(Ranked::tie));
    List<ConnectionScore> ordered = new ArrayList<>(n);
    for (Ranked r : ranked) {
      ordered.add(r.score);
    }
    return new Assessment(Clock.toInstant(now), ordered);
  }

  private record Ranked(ConnectionScore score, long tie) {}
}
