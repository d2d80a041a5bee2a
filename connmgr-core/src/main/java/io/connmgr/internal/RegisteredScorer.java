package io.connmgr.internal;

import io.connmgr.ConnectionScorer;
import io.connmgr.ConnectionView;
import io.connmgr.PeerScorer;
import io.connmgr.PeerView;
import io.connmgr.StreamScorer;
import io.connmgr.StreamView;
import io.connmgr.inspect.ScorerInfo;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.jspecify.annotations.Nullable;

/**
 * One registered scorer, its weight, its cumulative call statistics, whether a call of it hangs,
 * and the mark it leaves on the subjects it last answered {@link io.connmgr.Score#KEEP} for.
 */
final class RegisteredScorer {

  private static final System.Logger LOG = System.getLogger(RegisteredScorer.class.getName());

  private final String name;
  private final ScorerInfo.Kind kind;
  private final @Nullable String protocol;
  private final double weight;

  /** How reports and re-entrancy errors name this scorer. */
  private final String callbackName;

  private final @Nullable PeerScorer peerScorer;
  private final @Nullable ConnectionScorer connectionScorer;
  private final @Nullable StreamScorer streamScorer;

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong clamped = new AtomicLong();
  private final AtomicLong assessCalls = new AtomicLong();
  private final AtomicLong assessNanos = new AtomicLong();
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  /**
   * Calls that ran past their budget and have not returned; a scorer with one is not called. A
   * count, not a flag: the late return may be seen before the watcher's mark.
   */
  private final AtomicInteger hungCalls = new AtomicInteger();

  private final Runnable returnedLate = this::returned;

  /**
   * Its mark on the peers, connections and streams whose last answer from it was KEEP. Kept on the
   * subject (see {@link ScoredEntry}), not in a map of this scorer's: a map keyed by subjects would
   * hash a peer by its id, which the peer chooses, and would have to hold them weakly.
   */
  private final ScoredEntry.KeepMark keepMark = new ScoredEntry.KeepMark();

  private RegisteredScorer(
      String name,
      ScorerInfo.Kind kind,
      @Nullable String protocol,
      double weight,
      @Nullable PeerScorer peerScorer,
      @Nullable ConnectionScorer connectionScorer,
      @Nullable StreamScorer streamScorer) {
    this.name = name;
    this.kind = kind;
    this.protocol = protocol;
    this.weight = weight;
    this.callbackName = "the scorer '" + name + "'";
    this.peerScorer = peerScorer;
    this.connectionScorer = connectionScorer;
    this.streamScorer = streamScorer;
  }

  static RegisteredScorer peer(String name, double weight, PeerScorer scorer) {
    return new RegisteredScorer(name, ScorerInfo.Kind.PEER, null, weight, scorer, null, null);
  }

  static RegisteredScorer connection(String name, double weight, ConnectionScorer scorer) {
    return new RegisteredScorer(name, ScorerInfo.Kind.CONNECTION, null, weight, null, scorer, null);
  }

  static RegisteredScorer stream(String name, double weight, StreamScorer scorer) {
    return new RegisteredScorer(
        name, ScorerInfo.Kind.STREAM, scorer.protocol(), weight, null, null, scorer);
  }

  String name() {
    return name;
  }

  ScorerInfo.Kind kind() {
    return kind;
  }

  /** The protocol a stream scorer scores; null for the other kinds. */
  @Nullable String protocol() {
    return protocol;
  }

  double weight() {
    return weight;
  }

  /** How reports and re-entrancy errors name this scorer. */
  String callbackName() {
    return callbackName;
  }

  /**
   * Rates {@code subject}: the peer, connection or stream this scorer's kind rates (a pass hands
   * each scorer only subjects of its kind; the scorer of that kind is set by construction).
   */
  int score(Object subject) {
    return switch (kind) {
      case PEER -> Objects.requireNonNull(peerScorer).score((PeerView) subject);
      case CONNECTION -> Objects.requireNonNull(connectionScorer).score((ConnectionView) subject);
      case STREAM -> Objects.requireNonNull(streamScorer).score((StreamView) subject);
    };
  }

  /** {@link #returned} as the action of a call that returns late; made once, not per call. */
  Runnable returnedLate() {
    return returnedLate;
  }

  /** Whether a call of this scorer ran past its budget and has not returned yet. */
  boolean isHung() {
    return hungCalls.get() > 0;
  }

  /** Marks a call as overdue: the scorer is not called again until {@link #returned}. */
  void markHung() {
    if (hungCalls.incrementAndGet() == 1) {
      LOG.log(
          Level.WARNING,
          "connmgr scorer '"
              + name
              + "' has not returned from a call within "
              + "its budget; it is not called again until that call returns, and its connections "
              + "keep their last KEEP or go after every connection whose score is known");
    }
  }

  /** An overdue call came back. */
  private void returned() {
    if (hungCalls.decrementAndGet() == 0) {
      LOG.log(
          Level.INFO,
          "connmgr scorer '" + name + "' returned from its overdue call; it is " + "called again");
    }
  }

  /**
   * Remembers whether this scorer's answer for {@code subject} was KEEP. A pass hands a scorer only
   * subjects of its kind, every one a {@link ScoredEntry}.
   */
  void answered(Object subject, boolean keep) {
    ((ScoredEntry) subject).setKeptBy(keepMark, keep);
  }

  /** Whether this scorer's last answer for {@code subject} was KEEP. */
  boolean lastAnswerWasKeep(Object subject) {
    return ((ScoredEntry) subject).isKeptBy(keepMark);
  }

  /** It was unregistered: subjects drop its mark when their marks next change. */
  void retire() {
    keepMark.retire();
  }

  /** Adds one pass's figures to the cumulative ones, as a round's or an assessment's. */
  void record(
      boolean assessment,
      long passCalls,
      long passNanos,
      long passMaxNanos,
      long passErrors,
      long passTimeouts,
      long passClamped) {
    if (assessment) {
      assessCalls.addAndGet(passCalls);
      assessNanos.addAndGet(passNanos);
    } else {
      calls.addAndGet(passCalls);
      nanos.addAndGet(passNanos);
      maxNanos.accumulate(passMaxNanos);
    }
    errors.addAndGet(passErrors);
    timeouts.addAndGet(passTimeouts);
    clamped.addAndGet(passClamped);
  }

  /** Logs the first failure of this scorer; later ones are only counted. */
  void logFailureOnce(String what, @Nullable Throwable cause) {
    if (failureLogged.compareAndSet(false, true)) {
      LOG.log(
          Level.WARNING,
          "connmgr scorer '"
              + name
              + "' "
              + what
              + "; its connections keep their last KEEP or go after every connection whose score "
              + "is known. Further failures of this scorer are counted, not logged.",
          cause);
    }
  }

  ScorerInfo info() {
    return new ScorerInfo(
        name,
        kind,
        protocol,
        weight,
        calls.get(),
        Duration.ofNanos(nanos.get()),
        Duration.ofNanos(maxNanos.get()),
        errors.get(),
        timeouts.get(),
        clamped.get(),
        assessCalls.get(),
        Duration.ofNanos(assessNanos.get()));
  }
}
