package io.connmgr.sample;

import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.PeerId;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One open stream of a peer, as a {@link ProtocolHandler} sees it: the manager's handle (for typed
 * state and leases) and a way to answer on the wire.
 */
public final class PeerStream {

  private final String id;
  private final ManagedStream managed;
  private final ManagedConnection connection;
  private final WebSocketSession session;
  private final Consumer<PeerStream> onEnd;
  private final AtomicBoolean open = new AtomicBoolean(true);

  PeerStream(
      String id,
      ManagedStream managed,
      ManagedConnection connection,
      WebSocketSession session,
      Consumer<PeerStream> onEnd) {
    this.id = id;
    this.managed = managed;
    this.connection = connection;
    this.session = session;
    this.onEnd = onEnd;
  }

  /** The stream id on the wire. */
  public String id() {
    return id;
  }

  /** The manager's handle on this stream: typed state, leases. */
  public ManagedStream managed() {
    return managed;
  }

  /** The connection the stream runs on. */
  public ManagedConnection connection() {
    return connection;
  }

  /** The remote peer. */
  public PeerId peer() {
    return connection.peer();
  }

  /** Whether neither side closed the stream yet. */
  public boolean isOpen() {
    return open.get() && session.isOpen();
  }

  /**
   * Sends {@code MSG <id> <body>}; a closed session drops it.
   *
   * @return whether it was handed to the transport
   */
  public boolean send(String body) {
    return sendFrame(Frame.msg(id, body));
  }

  /** The node ends the stream: tells the peer and the manager. Idempotent. */
  public void close() {
    if (ended()) {
      sendFrame(Frame.close(id));
    }
  }

  /** Marks the stream ended and closes the manager's handle; true the first time only. */
  boolean ended() {
    if (!open.compareAndSet(true, false)) {
      return false;
    }
    managed.close();
    onEnd.accept(this);
    return true;
  }

  boolean sendFrame(Frame frame) {
    if (!session.isOpen()) {
      return false;
    }
    try {
      session.sendMessage(new TextMessage(frame.line()));
      return true;
    } catch (IOException | IllegalStateException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return "PeerStream[" + peer() + " " + managed.protocol() + " " + id + "]";
  }
}
