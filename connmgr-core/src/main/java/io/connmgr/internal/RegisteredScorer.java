package io.connmgr.internal;

import io.connmgr.ConnectionScorer;
import io.connmgr.ConnectionView;
import io.connmgr.PeerScorer;
import io.connmgr.PeerView;
import io.connmgr.ScorerInfo;
import io.connmgr.StreamScorer;
import io.connmgr.StreamView;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAccumulator;
import org.jspecify.annotations.Nullable;

/** One registered scorer, its weight, and its cumulative call statistics. */
final class RegisteredScorer {

  private static final System.Logger LOG = System.getLogger(RegisteredScorer.class.getName());

  final String name;
  final ScorerInfo.Kind kind;
  final @Nullable String protocol;
  final double weight;
  private final @Nullable PeerScorer peerScorer;
  private final @Nullable ConnectionScorer connectionScorer;
  private final @Nullable StreamScorer streamScorer;

  private final AtomicLong calls = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();
  private final LongAccumulator maxNanos = new LongAccumulator(Math::max, 0);
  private final AtomicLong assessCalls = new AtomicLong();
  private final AtomicLong assessNanos = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final AtomicLong timeouts = new AtomicLong();
  private final AtomicLong clamped = new AtomicLong();
  private final AtomicBoolean failureLogged = new AtomicBoolean();

  private RegisteredScorer(String name, ScorerInfo.Kind kind, @Nullable String protocol,
      double weight, @Nullable PeerScorer peerScorer, @Nullable ConnectionScorer connectionScorer,
      @Nullable StreamScorer streamScorer) {
    this.name = name;
    this.kind = kind;
    this.protocol = protocol;
    this.weight = weight;
    this.peerScorer = peerScorer;
    this.connectionScorer = connectionScorer;
    this.streamScorer = streamScorer;
  }

  static RegisteredScorer peer(String name, double weight, PeerScorer scorer) {
    return new RegisteredScorer(name, ScorerInfo.Kind.PEER, null, weight, scorer, null, null);
  }

  static RegisteredScorer connection(String name, double weight, ConnectionScorer scorer) {
    return new RegisteredScorer(name, ScorerInfo.Kind.CONNECTION, null, weight, null, scorer,
        null);
  }

  static RegisteredScorer stream(String name, double weight, StreamScorer scorer) {
    return new RegisteredScorer(name, ScorerInfo.Kind.STREAM, scorer.protocol(), weight, null,
        null, scorer);
  }

  int score(PeerView peer) {
    return peerScorer.score(peer);
  }

  int score(ConnectionView connection) {
    return connectionScorer.score(connection);
  }

  int score(StreamView stream) {
    return streamScorer.score(stream);
  }

  /** Adds one pass's figures to the cumulative ones. */
  void record(long passCalls, long passNanos, long passMaxNanos, long passErrors,
      long passTimeouts, long passClamped) {
    calls.addAndGet(passCalls);
    nanos.addAndGet(passNanos);
    maxNanos.accumulate(passMaxNanos);
    errors.addAndGet(passErrors);
    timeouts.addAndGet(passTimeouts);
    clamped.addAndGet(passClamped);
  }

  /** Adds one assessment's figures: its calls and time apart, its failures with the rest. */
  void recordAssessment(long passCalls, long passNanos, long passErrors, long passTimeouts,
      long passClamped) {
    assessCalls.addAndGet(passCalls);
    assessNanos.addAndGet(passNanos);
    errors.addAndGet(passErrors);
    timeouts.addAndGet(passTimeouts);
    clamped.addAndGet(passClamped);
  }

  /** Logs the first failure of this scorer; later ones are only counted. */
  void logFailureOnce(String what, @Nullable Throwable cause) {
    if (failureLogged.compareAndSet(false, true)) {
      LOG.log(Level.WARNING, "connmgr scorer '" + name + "' " + what
          + "; the call counts as 0. Further failures of this scorer are counted, not logged.",
          cause);
    }
  }

  ScorerInfo info() {
    return new ScorerInfo(name, kind, protocol, weight, calls.get(), Duration.ofNanos(nanos.get()),
        Duration.ofNanos(maxNanos.get()), errors.get(), timeouts.get(), clamped.get(),
        assessCalls.get(), Duration.ofNanos(assessNanos.get()));
  }
}
