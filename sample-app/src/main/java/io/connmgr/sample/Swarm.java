package io.connmgr.sample;

import io.connmgr.PeerId;
import io.connmgr.autoconfigure.ConnmgrProperties;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * A swarm of {@code sample.swarm.size} real WebSocket clients that connect to this node's own port
 * over loopback: the static peers of {@code connmgr.static-peers}, then a mix of idle, DHT,
 * bitswap, slow bitswap, gossip and relay peers ({@link Behaviour#CYCLE}). They join at {@code
 * sample.swarm.join-rate} a second, leave and rejoin at random, and come back after a back-off when
 * evicted. One heartbeat thread drives them; the swarm starts after the web server and stops before
 * it.
 *
 * <p>It also plays the network for bitswap: {@link #findProvider} asks another provider for a
 * block, dialling it if it is away.
 */
@Component
public class Swarm implements SmartLifecycle, ProviderDirectory {

  private static final Logger LOG = LoggerFactory.getLogger(Swarm.class);

  private final SampleProperties.Swarm settings;
  private final List<String> staticPeers;
  private final ApplicationContext context;
  private final SwarmTokens tokens;
  private final SwarmCounters counters = new SwarmCounters();
  private final List<SwarmPeer> peers = new ArrayList<>();
  private final AtomicLong messages = new AtomicLong();
  private volatile boolean running;
  private @Nullable ScheduledExecutorService heartbeat;
  private @Nullable ExecutorService io;
  private @Nullable URI node;

  /** A swarm for the node in {@code context}. */
  public Swarm(
      SampleProperties properties,
      ConnmgrProperties connmgr,
      ApplicationContext context,
      SwarmTokens tokens) {
    this.settings = properties.swarm();
    this.staticPeers = connmgr.staticPeers();
    this.context = context;
    this.tokens = tokens;
  }

  /** The {@code Authorization} header a peer authenticates its handshake with. */
  String authorization(SwarmPeer peer) {
    return tokens.authorization(peer.id());
  }

  @Override
  public synchronized void start() {
    if (running || !settings.enabled() || settings.size() <= 0) {
      return;
    }
    WebServer server = ((WebServerApplicationContext) context).getWebServer();
    if (server == null) {
      throw new IllegalStateException("the swarm connects to the node's web server; it has none");
    }
    int port = server.getPort();
    // loopback only: the swarm never leaves this machine
    String host = InetAddress.getLoopbackAddress().getHostAddress();
    URI base = URI.create("ws://" + host + ":" + port + NodeWebSocketConfig.PATH);
    node = base;
    ExecutorService ioPool = Executors.newFixedThreadPool(4, daemon("swarm-io"));
    io = ioPool;
    HttpClient client =
        HttpClient.newBuilder().executor(ioPool).connectTimeout(Duration.ofSeconds(5)).build();
    long now = System.nanoTime();
    long spacing = TimeUnit.SECONDS.toNanos(1) / Math.max(1, settings.joinRate());
    peers.clear();
    Map<Behaviour, AtomicInteger> numbers = new EnumMap<>(Behaviour.class);
    for (int i = 0; i < settings.size(); i++) {
      String id;
      Behaviour behaviour;
      if (i < staticPeers.size()) {
        id = staticPeers.get(i);
        behaviour = Behaviour.STABLE;
      } else {
        behaviour = Behaviour.CYCLE.get((i - staticPeers.size()) % Behaviour.CYCLE.size());
        id =
            behaviour.label()
                + "-"
                + numbers.computeIfAbsent(behaviour, b -> new AtomicInteger()).incrementAndGet();
      }
      peers.add(new SwarmPeer(id, behaviour, this, now + i * spacing));
    }
    ScheduledExecutorService beat =
        Executors.newSingleThreadScheduledExecutor(daemon("swarm-heartbeat"));
    heartbeat = beat;
    long period = settings.tick().toNanos();
    beat.scheduleAtFixedRate(() -> beat(client), period, period, TimeUnit.NANOSECONDS);
    running = true;
    LOG.info(
        "swarm of {} peers joining {} at {} a second ({} static)",
        peers.size(),
        base,
        settings.joinRate(),
        Math.min(staticPeers.size(), peers.size()));
  }

  private void beat(HttpClient client) {
    URI target = node;
    if (!running || target == null) {
      return;
    }
    long now = System.nanoTime();
    try {
      for (SwarmPeer peer : peers) {
        peer.tick(now, client, uri(target, peer));
      }
    } catch (RuntimeException e) {
      LOG.warn("swarm heartbeat failed; it runs again", e);
    }
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    ScheduledExecutorService beat = heartbeat;
    if (beat != null) {
      beat.shutdownNow();
    }
    List<CompletableFuture<?>> closing = new ArrayList<>();
    for (SwarmPeer peer : peers) {
      CompletableFuture<?> closed = peer.stop();
      if (closed != null) {
        closing.add(closed);
      }
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(3, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.debug("some swarm peers did not close in time: {}", e.toString());
    }
    ExecutorService pool = io;
    if (pool != null) {
      pool.shutdownNow();
    }
    LOG.info("swarm stopped");
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Starts after the web server (its port is known), stops before it. */
  @Override
  public int getPhase() {
    return SmartLifecycle.DEFAULT_PHASE - 1;
  }

  @Override
  public void findProvider(String cid, PeerId notFrom) {
    List<SwarmPeer> providers = new ArrayList<>();
    for (SwarmPeer p : peers) {
      if (p.behaviour() == Behaviour.BITSWAP && !p.id().equals(notFrom.value())) {
        providers.add(p);
      }
    }
    if (providers.isEmpty()) {
      return;
    }
    counters.replacementAsked();
    List<SwarmPeer> connected = providers.stream().filter(SwarmPeer::connected).toList();
    List<SwarmPeer> pool = connected.isEmpty() ? providers : connected;
    pool.get(ThreadLocalRandom.current().nextInt(pool.size())).want(cid);
  }

  /** What the peers saw. */
  public SwarmCounters counters() {
    return counters;
  }

  /** Peers now connected, by behaviour. */
  public Map<Behaviour, Integer> connectedByBehaviour() {
    Map<Behaviour, Integer> out = new EnumMap<>(Behaviour.class);
    for (Behaviour b : Behaviour.values()) {
      out.put(b, 0);
    }
    for (SwarmPeer p : peers) {
      if (p.connected()) {
        out.merge(p.behaviour(), 1, Integer::sum);
      }
    }
    return out;
  }

  /** The swarm's size. */
  public int size() {
    return peers.size();
  }

  // --- what peers ask of the swarm -------------------------------------------------------------

  /** The chance a connected peer leaves during one tick. */
  double churnPerTick() {
    return settings.churn() * settings.tick().toMillis() / 1000.0;
  }

  /** How long a peer that left stays away. */
  Duration rejoinDelay() {
    return between(settings.rejoinMin(), settings.rejoinMax());
  }

  /** The back-off after {@code inARow} evictions in a row: doubling, capped, with jitter. */
  Duration backoff(int inARow) {
    long base = settings.backoffMin().toMillis() << Math.min(10, Math.max(0, inARow - 1));
    long capped = Math.min(base, settings.backoffMax().toMillis());
    return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
  }

  /** How long a peer must have stayed connected for its eviction back-off to start over. */
  Duration longStay() {
    return settings.backoffMax();
  }

  /** How many ticks a slow provider spreads a block over. */
  int slowTransferTicks() {
    return (int) Math.max(2, settings.slowTransfer().toMillis() / settings.tick().toMillis());
  }

  /** A message id to publish: mostly new, sometimes one already seen (a duplicate). */
  String nextMessageId() {
    long n = messages.incrementAndGet();
    return "m" + (ThreadLocalRandom.current().nextInt(4) == 0 ? Math.max(1, n - 3) : n);
  }

  private static URI uri(URI node, SwarmPeer peer) {
    return URI.create(node + "?peer=" + URLEncoder.encode(peer.id(), StandardCharsets.UTF_8));
  }

  private static Duration between(Duration min, Duration max) {
    long lo = min.toMillis();
    long hi = Math.max(lo, max.toMillis());
    return Duration.ofMillis(lo + ThreadLocalRandom.current().nextLong(hi - lo + 1));
  }

  private static ThreadFactory daemon(String name) {
    CustomizableThreadFactory threads = new CustomizableThreadFactory(name + "-");
    threads.setDaemon(true);
    return threads;
  }
}
