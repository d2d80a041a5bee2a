package io.connmgr.internal;

import io.connmgr.CloseVeto;
import io.connmgr.VetoInfo;
import java.util.concurrent.atomic.AtomicLong;

/** One registered veto and its cumulative record. */
final class RegisteredVeto {

  final String name;
  final CloseVeto veto;
  final AtomicLong reviews = new AtomicLong();
  final AtomicLong vetoes = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  /** Reviews that ran past the callback budget and have not returned; see RegisteredScorer. */
  final java.util.concurrent.atomic.AtomicInteger hungCalls =
      new java.util.concurrent.atomic.AtomicInteger();
  /** How reports and re-entrancy errors name this veto. */
  final String callbackName;

  RegisteredVeto(String name, CloseVeto veto) {
    this.name = name;
    this.veto = veto;
    this.callbackName = "the veto '" + name + "'";
  }

  VetoInfo info() {
    return new VetoInfo(name, reviews.get(), vetoes.get(), errors.get());
  }
}
