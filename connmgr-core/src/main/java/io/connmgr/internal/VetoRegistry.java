package io.connmgr.internal;

import io.connmgr.CloseVeto;
import io.connmgr.Registration;
import io.connmgr.TrimRound;
import io.connmgr.Verdict;
import io.connmgr.VetoInfo;
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
      if (v.name.equals(name)) {
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
   * Asks each veto in registration order; returns the name of the first that vetoed, or null. A
   * veto that throws counts as allow.
   */
  @Nullable String vetoedBy(ConnectionEntry c, TrimRound round) {
    for (RegisteredVeto v : vetoes) {
      v.reviews.incrementAndGet();
      Verdict verdict;
      try {
        verdict = v.veto.review(c, round);
      } catch (RuntimeException | LinkageError e) {
        v.errors.incrementAndGet();
        LOG.log(Level.WARNING, "connmgr veto '" + v.name + "' threw; counts as allow", e);
        continue;
      }
      if (verdict != null && verdict.isVeto()) {
        v.vetoes.incrementAndGet();
        String reason = verdict.reason().orElse("");
        bus.fire(l -> l.onVeto(v.name, c, reason));
        return v.name;
      }
    }
    return null;
  }

  List<VetoInfo> infos() {
    List<VetoInfo> infos = new ArrayList<>();
    for (RegisteredVeto v : vetoes) {
      infos.add(v.info());
    }
    return infos;
  }
}
