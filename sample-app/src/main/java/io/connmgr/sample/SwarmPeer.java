package io.connmgr.sample;

import io.connmgr.websocket.ConnectionManagerWebSocketHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One simulated peer of the {@link Swarm}: a real JDK WebSocket client that connects to the node
 * over loopback, authenticating its handshake with its {@link SwarmTokens} token, speaks the {@link
 * Frame} protocol according to its {@link Behaviour}, leaves and rejoins now and then, and
 * reconnects after a growing back-off when the node evicts it. The swarm's heartbeat calls {@link
 * #tick} on one thread; WebSocket callbacks arrive on others, so every state change holds this
 * object's lock.
 */
final class SwarmPeer implements WebSocket.Listener {

  private enum State {
    WAITING,
    CONNECTING,
    CONNECTED,
    STOPPED
  }

  private static final Pattern RETRY_IN = Pattern.compile("retry in (\\d{1,9}(?:\\.\\d+)?) s");

  /** Most frames queued for sending before the peer drops new ones (the node is too slow). */
  private static final int MAX_PENDING_SENDS = 64;

  private final String id;
  private final Behaviour behaviour;
  private final Swarm swarm;
  private State state = State.WAITING;
  private long nextAt;
  private @Nullable WebSocket socket;
  private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
  private int pendingSends;
  private final StringBuilder partial = new StringBuilder();
  private int evictionsInARow;
  private long connectedAt;
  private int identifyStreams;
  private boolean grafted;
  private long graftAgainAt;
  private @Nullable String transferCid;
  private int chunksLeft;
  private int chunkSize;
  private final Deque<String> wanted = new ArrayDeque<>();
  private final List<String> circuits = new ArrayList<>();
  private int nextCircuit;

  SwarmPeer(String id, Behaviour behaviour, Swarm swarm, long firstConnectAt) {
    this.id = id;
    this.behaviour = behaviour;
    this.swarm = swarm;
    this.nextAt = firstConnectAt;
  }

  String id() {
    return id;
  }

  Behaviour behaviour() {
    return behaviour;
  }

  synchronized boolean connected() {
    return state == State.CONNECTED;
  }

  synchronized boolean waiting() {
    return state == State.WAITING;
  }

  // --- driven by the swarm's heartbeat ---------------------------------------------------------

  /** One step: connect when due, maybe leave, else act out the behaviour. */
  void tick(long now, HttpClient client, URI node) {
    synchronized (this) {
      switch (state) {
        case WAITING -> {
          if (now - nextAt >= 0) {
            connect(client, node);
          }
        }
        case CONNECTED -> {
          if (behaviour != Behaviour.STABLE && chance(swarm.churnPerTick())) {
            leave(now);
          } else {
            act(now);
          }
        }
        default -> {}
      }
    }
  }

  /** Asks this peer to send block {@code cid}, connecting now if it is away. */
  synchronized void want(String cid) {
    if (wanted.size() < 8) {
      wanted.add(cid);
    }
    if (state == State.WAITING) {
      nextAt = System.nanoTime(); // the compensating dial: connect at the next heartbeat
    }
  }

  /** Closes the socket for good. */
  synchronized @Nullable CompletableFuture<?> stop() {
    State was = state;
    state = State.STOPPED;
    WebSocket ws = socket;
    socket = null;
    if (was == State.CONNECTED && ws != null) {
      return ws.sendClose(WebSocket.NORMAL_CLOSURE, "swarm stopping")
          .handle(
              (r, e) -> {
                ws.abort();
                return null;
              });
    }
    return null;
  }

  private void connect(HttpClient client, URI node) {
    state = State.CONNECTING;
    client
        .newWebSocketBuilder()
        .connectTimeout(Duration.ofSeconds(5))
        .header("Authorization", swarm.authorization(this))
        .buildAsync(node, this)
        .orTimeout(10, TimeUnit.SECONDS)
        .whenComplete(
            (ws, failure) -> {
              if (failure != null) {
                synchronized (this) {
                  if (state == State.CONNECTING) {
                    swarm.counters().failed();
                    state = State.WAITING;
                    nextAt = System.nanoTime() + swarm.backoff(1).toNanos();
                  }
                }
              }
            });
  }

  private void leave(long now) {
    WebSocket ws = socket;
    disconnected();
    nextAt = now + swarm.rejoinDelay().toNanos();
    evictionsInARow = 0;
    swarm.counters().left();
    if (ws != null) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "leaving")
          .handle(
              (r, e) -> {
                ws.abort();
                return null;
              });
    }
  }

  private void act(long now) {
    switch (behaviour) {
      case DHT -> dht();
      case BITSWAP, SLOW_BITSWAP -> bitswap();
      case GOSSIP -> gossip(now);
      case RELAY -> relay();
      case STABLE -> {
        dht();
        gossip(now);
      }
      case IDLE -> {}
    }
  }

  private void dht() {
    if (chance(0.3)) {
      send(
          Frame.msg(
              "d",
              chance(0.5)
                  ? "PING"
                  : "FIND_NODE key-" + ThreadLocalRandom.current().nextInt(10_000)));
    }
  }

  private void bitswap() {
    String cid = transferCid;
    if (cid == null) {
      String next = wanted.poll();
      if (next == null && chance(0.3)) {
        next = "blk-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
      }
      if (next != null) {
        int size = (64 + ThreadLocalRandom.current().nextInt(192)) * 1024;
        // a fast provider sends a block in 4 chunks; a slow one takes sample.swarm.slow-transfer
        int chunks = behaviour == Behaviour.SLOW_BITSWAP ? swarm.slowTransferTicks() : 4;
        transferCid = next;
        chunksLeft = chunks;
        chunkSize = Math.max(1, size / chunks);
        send(Frame.msg("b", "BLOCK " + next + " " + size));
      }
      return;
    }
    if (behaviour == Behaviour.SLOW_BITSWAP && chance(0.01)) {
      send(Frame.msg("b", "FAIL " + cid));
      transferCid = null;
      return;
    }
    send(Frame.msg("b", "CHUNK " + cid + " " + chunkSize));
    if (--chunksLeft <= 0) {
      send(Frame.msg("b", "DONE " + cid));
      transferCid = null;
      swarm.counters().blockSent();
    }
  }

  private void gossip(long now) {
    if (!grafted && now - graftAgainAt >= 0) {
      send(Frame.msg("g", "GRAFT"));
      graftAgainAt = now + Duration.ofSeconds(5).toNanos();
    }
    if (chance(0.4)) {
      send(Frame.msg("g", "PUBLISH " + swarm.nextMessageId()));
    }
  }

  private void relay() {
    if (circuits.size() < 6 && chance(0.2)) {
      String circuit = "c" + nextCircuit++;
      circuits.add(circuit);
      send(Frame.msg("r", "CIRCUIT_OPEN " + circuit));
    } else if (!circuits.isEmpty() && chance(0.15)) {
      send(Frame.msg("r", "CIRCUIT_CLOSE " + circuits.remove(0)));
    }
  }

  // --- WebSocket callbacks ---------------------------------------------------------------------

  @Override
  public void onOpen(WebSocket ws) {
    synchronized (this) {
      if (state != State.CONNECTING) {
        ws.abort(); // stopped meanwhile
        return;
      }
      state = State.CONNECTED;
      socket = ws;
      connectedAt = System.nanoTime();
      swarm.counters().connected();
      grafted = false;
      graftAgainAt = 0;
      transferCid = null;
      circuits.clear();
      String hello = "i" + identifyStreams++;
      send(Frame.open(hello, Protocols.IDENTIFY));
      send(Frame.msg(hello, "HELLO swarm-peer/1.0 " + behaviour.label()));
      switch (behaviour) {
        case DHT -> send(Frame.open("d", Protocols.DHT));
        case BITSWAP, SLOW_BITSWAP -> send(Frame.open("b", Protocols.BITSWAP));
        case GOSSIP -> send(Frame.open("g", Protocols.GOSSIP));
        case RELAY -> {
          send(Frame.open("r", Protocols.RELAY));
          send(Frame.msg("r", "RESERVE"));
        }
        case STABLE -> {
          send(Frame.open("d", Protocols.DHT));
          send(Frame.open("g", Protocols.GOSSIP));
        }
        case IDLE -> {}
      }
    }
    ws.request(1);
  }

  @Override
  public @Nullable CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
    synchronized (this) {
      if (partial.length() + data.length() <= Frame.MAX_LENGTH) {
        partial.append(data);
      }
      if (last) {
        String line = partial.toString();
        partial.setLength(0);
        if (ws == socket) {
          handle(line);
        }
      }
    }
    ws.request(1);
    return null;
  }

  private void handle(String line) {
    Frame frame = Frame.parse(line).orElse(null);
    if (frame == null || frame.kind() != Frame.Kind.MSG) {
      return;
    }
    String body = frame.rest();
    if (body.equals("GRAFTED")) {
      grafted = true;
    } else if (body.equals("PRUNE")) {
      grafted = false;
      graftAgainAt = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    } else if (body.startsWith("CANCEL ") && body.substring(7).equals(transferCid)) {
      transferCid = null; // the node gave this transfer up
      swarm.counters().transferCancelled();
    }
  }

  @Override
  public @Nullable CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
    synchronized (this) {
      if (ws != socket) {
        return null; // a socket this peer already left
      }
      disconnected();
      long now = System.nanoTime();
      if (statusCode == 1008
          && reason.startsWith(ConnectionManagerWebSocketHandler.REFUSED_PREFIX)) {
        // a hard limit refused the connection (the starter says so in the reason): try later,
        // and no sooner than the node asks when it says ("retry in 12.5 s": a recent eviction)
        swarm.counters().refused();
        long wait =
            Math.max(swarm.backoff(++evictionsInARow).toNanos(), retryHint(reason).toNanos());
        nextAt = now + wait;
      } else if (statusCode == 1008) {
        // evicted by the node's connection manager: back off, then come back; a peer that had
        // stayed a good while starts again from the shortest back-off
        if (now - connectedAt > swarm.longStay().toNanos()) {
          evictionsInARow = 0;
        }
        evictionsInARow++;
        swarm.counters().evicted(behaviour, reason);
        nextAt = now + swarm.backoff(evictionsInARow).toNanos();
      } else {
        nextAt = now + swarm.backoff(1).toNanos();
        swarm.counters().closedByNode();
      }
    }
    return null;
  }

  @Override
  public void onError(WebSocket ws, Throwable error) {
    synchronized (this) {
      if (ws != socket) {
        return;
      }
      disconnected();
      swarm.counters().failed();
      nextAt = System.nanoTime() + swarm.backoff(1).toNanos();
    }
  }

  private void disconnected() {
    if (state != State.STOPPED) {
      state = State.WAITING;
    }
    socket = null;
    sends = CompletableFuture.completedFuture(null);
    pendingSends = 0;
  }

  private void send(Frame frame) {
    WebSocket ws = socket;
    if (ws == null || pendingSends >= MAX_PENDING_SENDS) {
      return;
    }
    pendingSends++;
    String line = frame.line();
    // the JDK client allows one outstanding send: chain them
    sends =
        sends
            .handle((r, e) -> null)
            .thenCompose(x -> ws.sendText(line, true))
            .whenComplete(
                (r, e) -> {
                  synchronized (this) {
                    if (socket == ws && pendingSends > 0) {
                      pendingSends--;
                    }
                  }
                });
  }

  /** The wait a refusal's reason asks for ("retry in 12.5 s"); zero if it names none. */
  static Duration retryHint(String reason) {
    Matcher m = RETRY_IN.matcher(reason);
    return m.find()
        ? Duration.ofMillis(Math.round(Double.parseDouble(m.group(1)) * 1000))
        : Duration.ZERO;
  }

  private static boolean chance(double p) {
    return ThreadLocalRandom.current().nextDouble() < p;
  }

  @Override
  public String toString() {
    return "SwarmPeer[" + id + " " + behaviour + "]";
  }
}
