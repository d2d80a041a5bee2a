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

  RegisteredVeto(String name, CloseVeto veto) {
    this.name = name;
    this.veto = veto;
  }

  VetoInfo info() {
    return new VetoInfo(name, reviews.get(), vetoes.get(), errors.get());
  }
}
