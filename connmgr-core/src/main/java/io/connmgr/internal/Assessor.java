package io.connmgr.internal;

import io.connmgr.SkipReason;
import io.connmgr.inspect.Assessment;
import io.connmgr.inspect.ConnectionScore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A round that plans and closes nothing: every open connection scored, gathered, held back and
 * ordered by the same {@link CandidatePolicy} as a round, at one instant. What the console, the
 * actuator and admission's displacement read. Vetoes and lease listeners are not asked (asking has
 * effects; a round asks them for a connection it is about to close), so the next round closes the
 * candidates in this order, skipping those a veto or a lease listener keeps.
 */
final class Assessor {

  private final CandidatePolicy policy;
  private final ScorerRegistry scorers;
  private final CallbackSupervisor supervisor;
  private final long scorerBudgetNanos;

  Assessor(
      CandidatePolicy policy,
      ScorerRegistry scorers,
      CallbackSupervisor supervisor,
      long scorerBudgetNanos) {
    this.policy = policy;
    this.scorers = scorers;
    this.supervisor = supervisor;
    this.scorerBudgetNanos = scorerBudgetNanos;
  }

  Assessment assess(long now, java.time.Instant takenAt) throws InterruptedException {
    return rank(now, takenAt).assessment();
  }

  /** An assessment, and the connections it ranks in its order. */
  record Ranked(Assessment assessment, List<ConnectionEntry> entries) {}

  /** {@link #assess}, with the connection entries beside their scores. */
  Ranked rank(long now, java.time.Instant takenAt) throws InterruptedException {
    CandidatePolicy.Field field = policy.gather(now, false, true);
    ScoringPass pass =
        new ScoringPass(
            scorers.current(), field.connections(), field.size(), scorerBudgetNanos, true);
    pass.run(supervisor);
    pass.publish();
    CandidatePolicy.Walk walk = policy.order(field, pass);
    List<ConnectionScore> ordered = new ArrayList<>(field.size());
    List<ConnectionEntry> entries = new ArrayList<>(field.size());
    boolean[] listed = new boolean[field.size()];
    while (walk.hasNext()) {
      int i = walk.next(field.size());
      listed[i] = true;
      ordered.add(score(field, pass, i));
      entries.add(field.connection(i));
    }
    Integer[] rest = new Integer[field.size() - ordered.size()];
    int r = 0;
    for (int i = 0; i < field.size(); i++) {
      if (!listed[i]) {
        rest[r++] = i;
      }
    }
    Arrays.sort(
        rest,
        (a, b) ->
            a.equals(b)
                ? 0
                : field.score(a) != field.score(b)
                    ? Double.compare(field.score(a), field.score(b))
                    : Long.compare(field.tie(a), field.tie(b)));
    for (int i : rest) {
      ordered.add(score(field, pass, i));
      entries.add(field.connection(i));
    }
    return new Ranked(new Assessment(takenAt, ordered), entries);
  }

  private static ConnectionScore score(CandidatePolicy.Field field, ScoringPass pass, int i) {
    ConnectionEntry c = field.connection(i);
    Map<String, Double> breakdown = c.peerEntry().tagBreakdown();
    pass.forEachPart(i, (name, part) -> breakdown.put("scorer:" + name, part));
    SkipReason reason = field.heldBack(i);
    return new ConnectionScore(c.id(), c.peer(), c.direction(), field.score(i), reason, breakdown);
  }
}
