package io.connmgr.internal;

import io.connmgr.ConnectionManagerListener;
import io.connmgr.ConnectionView;
import io.connmgr.EvictionRecord;
import java.util.function.Consumer;

/**
 * The events sent once per connection (opened, closed, evicted), as small classes rather than
 * lambdas. Until the JIT has compiled a call site with C2, which for a round's code that runs a few
 * times a minute takes most of a service's life, a capturing lambda is allocated through a slow
 * path ({@code Unsafe.allocateInstance}); a round of 500 closes sends two of these per close to
 * each listener that hears them (see {@link ListenerEvent}).
 */
final class ConnectionEvents {

  private ConnectionEvents() {}

  static Consumer<ConnectionManagerListener> opened(ConnectionView c) {
    return new Opened(c);
  }

  static Consumer<ConnectionManagerListener> closed(ConnectionView c) {
    return new Closed(c);
  }

  static Consumer<ConnectionManagerListener> evicted(EvictionRecord record) {
    return new Evicted(record);
  }

  private record Opened(ConnectionView c) implements Consumer<ConnectionManagerListener> {
    @Override
    public void accept(ConnectionManagerListener l) {
      l.onConnectionOpened(c);
    }
  }

  private record Closed(ConnectionView c) implements Consumer<ConnectionManagerListener> {
    @Override
    public void accept(ConnectionManagerListener l) {
      l.onConnectionClosed(c);
    }
  }

  private record Evicted(EvictionRecord record) implements Consumer<ConnectionManagerListener> {
    @Override
    public void accept(ConnectionManagerListener l) {
      l.onEviction(record);
    }
  }
}
