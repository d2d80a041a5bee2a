package io.connmgr.internal;

import io.connmgr.CloseVeto;
import io.connmgr.Registration;
import io.connmgr.TrimRound;
import io.connmgr.Verdict;
import io.connmgr.inspect.VetoInfo;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/** The registered vetoes, by unique name, asked in registration order. */
final class VetoRegistry {

  private static final System.Logger LOG = System.getLogger(VetoRegistry.class.getName());

  private final List<RegisteredVeto> vetoes = new CopyOnWriteArrayList<>();
  private final ListenerBus bus;

  VetoRegistry(ListenerBus bus) {
    this.bus = bus;
  }

  synchronized Registration register(String name, CloseVeto veto) {
    for (RegisteredVeto v : vetoes) {
      if (v.name().equals(name)) {
        throw new IllegalArgumentException("a veto named '" + name + "' is already registered");
      }
    }
    RegisteredVeto registered = new RegisteredVeto(name, veto);
    vetoes.add(registered);
    return () -> vetoes.remove(registered);
  }

  boolean isEmpty() {
    return vetoes.isEmpty();
  }

  /**
   * Asks each veto in registration order, each call watched by {@code watch}; returns the name of
   * the first that vetoed, or null. A veto that throws counts as allow; a veto whose earlier call
   * ran past its budget and has not returned cannot be asked, and counts as a veto (closing is not
   * undone; see docs/core.md).
   */
  @Nullable String vetoedBy(ConnectionEntry c, TrimRound round, CallWatch watch) {
    for (RegisteredVeto v : vetoes) {
      if (v.isHung()) {
        v.countVetoUnasked();
        return v.name();
      }
      Verdict verdict;
      try {
        verdict = v.review(c, round, watch);
      } catch (CallbackFailed e) {
        LOG.log(
            Level.WARNING, "connmgr veto '" + v.name() + "' threw; counts as allow", e.getCause());
        continue;
      }
      if (verdict != null && verdict.isVeto()) {
        String reason = verdict.reason().orElse("");
        bus.fire(ListenerEvent.VETO, l -> l.onVeto(v.name(), c, reason));
        return v.name();
      }
    }
    return null;
  }

  /** Marks the veto a watch gave up on (named as in a stall) as hung until its call returns. */
  void markHung(String callbackName) {
    for (RegisteredVeto v : vetoes) {
      if (v.callbackName().equals(callbackName)) {
        v.markHung();
        LOG.log(
            Level.WARNING,
            "connmgr veto '"
                + v.name()
                + "' has not returned within the "
                + "callback budget; until it does, the candidates it would review stay open");
      }
    }
  }

  List<VetoInfo> infos() {
    List<VetoInfo> infos = new ArrayList<>();
    for (RegisteredVeto v : vetoes) {
      infos.add(v.info());
    }
    return infos;
  }
}
