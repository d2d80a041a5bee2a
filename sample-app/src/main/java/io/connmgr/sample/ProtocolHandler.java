package io.connmgr.sample;

/**
 * The node's side of one protocol: the {@link NodeWebSocketHandler} hands it the streams peers open
 * with its name. Implementations are beans and must be thread-safe: streams of many peers arrive at
 * once.
 */
public interface ProtocolHandler {

  /** The protocol name peers open streams with. */
  String protocol();

  /** A peer opened a stream of this protocol. */
  default void opened(PeerStream stream) {}

  /** A message arrived on an open stream. */
  void received(PeerStream stream, String body);

  /** The peer closed the stream, or its connection ended; not called when the node closed it. */
  default void closed(PeerStream stream, Ending ending) {}

  /** How a stream ended. */
  enum Ending {
    /** One side closed the stream; the connection stays. */
    STREAM_CLOSED,
    /** The connection closed: the peer left, or the node stopped. */
    CONNECTION_CLOSED,
    /** The connection manager evicted the connection (close status 1008). */
    CONNECTION_EVICTED
  }
}
