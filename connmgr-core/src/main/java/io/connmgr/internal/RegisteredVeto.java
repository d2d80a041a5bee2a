package io.connmgr.internal;

import io.connmgr.CloseVeto;
import io.connmgr.ConnectionView;
import io.connmgr.TrimRound;
import io.connmgr.Verdict;
import io.connmgr.inspect.VetoInfo;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/** One registered veto and its cumulative record. */
final class RegisteredVeto {

  private final String name;
  private final CloseVeto veto;
  private final AtomicLong reviews = new AtomicLong();
  private final AtomicLong vetoes = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();

  /** Reviews that ran past the callback budget and have not returned; see RegisteredScorer. */
  private final AtomicInteger hungCalls = new AtomicInteger();

  /** How reports and re-entrancy errors name this veto. */
  private final String callbackName;

  RegisteredVeto(String name, CloseVeto veto) {
    this.name = name;
    this.veto = veto;
    this.callbackName = "the veto '" + name + "'";
  }

  String name() {
    return name;
  }

  /** How reports and re-entrancy errors name this veto. */
  String callbackName() {
    return callbackName;
  }

  /** Whether a review ran past its budget and has not returned: it cannot be asked. */
  boolean isHung() {
    return hungCalls.get() > 0;
  }

  /** A review ran past its budget. */
  void markHung() {
    hungCalls.incrementAndGet();
  }

  /** Counts a review it could not make (hung) as a veto. */
  void countVetoUnasked() {
    vetoes.incrementAndGet();
  }

  /**
   * Asks the veto about {@code c}, watched by {@code watch}, and counts the review and its outcome;
   * throws what the veto threw, whatever it was, as a {@link CallbackFailed} (counted as an error).
   */
  @Nullable Verdict review(ConnectionView c, TrimRound round, CallWatch watch) {
    reviews.incrementAndGet();
    Verdict verdict;
    try {
      verdict = watch.call(callbackName, () -> ask(c, round), hungCalls::decrementAndGet);
    } catch (CallbackFailed e) {
      errors.incrementAndGet();
      throw e;
    }
    if (verdict != null && verdict.isVeto()) {
      vetoes.incrementAndGet();
    }
    return verdict;
  }

  VetoInfo info() {
    return new VetoInfo(name, reviews.get(), vetoes.get(), errors.get());
  }

  private @Nullable Verdict ask(ConnectionView c, TrimRound round) {
    try {
      return veto.review(c, round);
    } catch (Throwable e) {
      throw new CallbackFailed(e);
    }
  }
}
