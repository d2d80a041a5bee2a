package io.connmgr.internal;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.Registration;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The registered listeners; an event reaches each of them, and a failing one disturbs none. */
final class ListenerBus {

  private static final System.Logger LOG = System.getLogger(ListenerBus.class.getName());

  private final List<ConnectionManagerListener> listeners = new CopyOnWriteArrayList<>();

  Registration add(ConnectionManagerListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  boolean isEmpty() {
    return listeners.isEmpty();
  }

  void fire(Consumer<ConnectionManagerListener> event) {
    for (ConnectionManagerListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException | LinkageError e) {
        LOG.log(Level.WARNING, "connmgr listener " + listener + " failed; ignored", e);
      }
    }
  }
}
