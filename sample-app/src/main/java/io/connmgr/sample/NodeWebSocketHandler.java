package io.connmgr.sample;

import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.websocket.WebSocketConnections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * The node's WebSocket endpoint: reads {@link Frame}s, opens and closes streams on the session's
 * managed connection, and hands each stream to the {@link ProtocolHandler} of its protocol. It runs
 * behind the starter's decorator, so every session is already a managed connection here.
 */
public final class NodeWebSocketHandler extends TextWebSocketHandler {

  /** The most streams one connection may hold open. */
  static final int MAX_STREAMS = 16;

  private static final Logger LOG = LoggerFactory.getLogger(NodeWebSocketHandler.class);
  private static final String STREAMS = NodeWebSocketHandler.class.getName() + ".streams";
  private static final String SENDER = NodeWebSocketHandler.class.getName() + ".sender";

  private final Map<String, ProtocolHandler> handlers;
  private final AtomicLong evictionsSeen = new AtomicLong();

  /** A handler dispatching to {@code handlers} by protocol name. */
  public NodeWebSocketHandler(List<ProtocolHandler> handlers) {
    this.handlers =
        handlers.stream()
            .collect(Collectors.toUnmodifiableMap(ProtocolHandler::protocol, Function.identity()));
  }

  /** The handler a stream was opened with: OPEN accepts only protocols with one. */
  private ProtocolHandler handlerOf(PeerStream stream) {
    String protocol = stream.managed().protocol();
    return Objects.requireNonNull(handlers.get(protocol), () -> "no handler for " + protocol);
  }

  /** Sessions the manager evicted (closed with 1008) that this handler saw close. */
  public long evictionsSeen() {
    return evictionsSeen.get();
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession session) {
    // sends come from many threads (replies, lease listeners, the upkeep thread): serialize them
    session
        .getAttributes()
        .put(SENDER, new ConcurrentWebSocketSessionDecorator(session, 5_000, 64 * 1024));
    session.getAttributes().put(STREAMS, new ConcurrentHashMap<String, PeerStream>());
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    WebSocketSession sender = sender(session);
    Optional<Frame> parsed = Frame.parse(message.getPayload());
    if (parsed.isEmpty()) {
      send(sender, Frame.err("0", "not a frame"));
      return;
    }
    Frame frame = parsed.get();
    Map<String, PeerStream> streams = streams(session);
    switch (frame.kind()) {
      case OPEN -> open(session, sender, streams, frame);
      case MSG -> {
        PeerStream stream = streams.get(frame.stream());
        if (stream == null) {
          send(sender, Frame.err(frame.stream(), "no such stream"));
        } else {
          handlerOf(stream).received(stream, frame.rest());
        }
      }
      case CLOSE -> {
        PeerStream stream = streams.get(frame.stream());
        if (stream != null && stream.ended()) {
          handlerOf(stream).closed(stream, ProtocolHandler.Ending.STREAM_CLOSED);
        }
      }
      default -> send(sender, Frame.err(frame.stream(), "a peer sends OPEN, MSG or CLOSE"));
    }
  }

  private void open(
      WebSocketSession session,
      WebSocketSession sender,
      Map<String, PeerStream> streams,
      Frame frame) {
    ProtocolHandler handler = handlers.get(frame.rest());
    if (handler == null) {
      send(sender, Frame.err(frame.stream(), "unknown protocol " + frame.rest()));
      return;
    }
    if (streams.size() >= MAX_STREAMS || streams.containsKey(frame.stream())) {
      send(sender, Frame.err(frame.stream(), "stream refused"));
      return;
    }
    ManagedConnection connection = WebSocketConnections.require(session);
    ManagedStream managed;
    try {
      managed = connection.openStream(frame.rest(), Direction.INBOUND);
    } catch (IllegalStateException closedMeanwhile) {
      return;
    }
    PeerStream stream =
        new PeerStream(frame.stream(), managed, connection, sender, s -> streams.remove(s.id(), s));
    streams.put(frame.stream(), stream);
    send(sender, Frame.ok(frame.stream()));
    handler.opened(stream);
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    boolean evicted = status.getCode() == CloseStatus.POLICY_VIOLATION.getCode();
    if (evicted) {
      evictionsSeen.incrementAndGet();
    }
    ProtocolHandler.Ending ending =
        evicted
            ? ProtocolHandler.Ending.CONNECTION_EVICTED
            : ProtocolHandler.Ending.CONNECTION_CLOSED;
    for (PeerStream stream : List.copyOf(streams(session).values())) {
      if (stream.ended()) {
        handlerOf(stream).closed(stream, ending);
      }
    }
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    LOG.debug("transport error on session {}: {}", session.getId(), exception.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, PeerStream> streams(WebSocketSession session) {
    Object streams = session.getAttributes().get(STREAMS);
    return streams == null ? new ConcurrentHashMap<>() : (Map<String, PeerStream>) streams;
  }

  private static WebSocketSession sender(WebSocketSession session) {
    return session.getAttributes().get(SENDER) instanceof WebSocketSession s ? s : session;
  }

  private static void send(WebSocketSession sender, Frame frame) {
    try {
      sender.sendMessage(new TextMessage(frame.line()));
    } catch (java.io.IOException | IllegalStateException e) {
      LOG.debug("could not send {}: {}", frame.kind(), e.toString());
    }
  }
}
