package io.connmgr.sample;

import io.connmgr.ConnectionManager;
import io.connmgr.Lease;
import io.connmgr.LeaseDecision;
import io.connmgr.LeaseListener;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The node's side of {@code bitswap}: providers push blocks to it. Each block transfer holds a
 * lease on its connection, so no trim round cuts it; when a round finds the lease elapsed, the
 * {@link LeaseListener} extends it (at most {@code sample.bitswap.max-extensions} times, and only
 * while bytes still arrive), or gives the provider up: it cancels the transfer, releases the lease
 * and asks the {@link ProviderDirectory} for another provider of the block.
 *
 * <p>Messages from a provider: {@code BLOCK <cid> <bytes>} starts a transfer, {@code CHUNK <cid>
 * <bytes>} moves part of it, {@code DONE <cid>} completes it, {@code FAIL <cid>} aborts it. The
 * node answers {@code CANCEL <cid>} when it gives a transfer up.
 */
@Component
public class BitswapExchange implements ProtocolHandler {

  /** The most transfers one stream may run at once. */
  static final int MAX_TRANSFERS_PER_STREAM = 4;

  private static final Logger LOG = LoggerFactory.getLogger(BitswapExchange.class);

  private final ConnectionManager manager;
  private final SampleProperties.Bitswap settings;
  private final ProviderDirectory providers;
  private final Map<String, Transfer> inFlight = new ConcurrentHashMap<>();
  private final AtomicLong started = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong extended = new AtomicLong();
  private final AtomicLong replaced = new AtomicLong();
  private final AtomicLong cut = new AtomicLong();
  private final AtomicLong startedTooLate = new AtomicLong();

  /** A block transfer in flight on one stream. */
  private static final class Transfer {
    final String cid;
    final PeerStream stream;
    volatile long received;
    volatile long receivedAtLastExpiry = -1;
    volatile int extensions;

    /** Set when the node gave the transfer up: from then on its connection may go. */
    volatile boolean givenUp;

    volatile @Nullable Lease lease;

    Transfer(String cid, PeerStream stream) {
      this.cid = cid;
      this.stream = stream;
    }
  }

  /** The exchange; {@code providers} finds replacements. */
  public BitswapExchange(
      ConnectionManager manager, SampleProperties properties, ProviderDirectory providers) {
    this.manager = manager;
    this.settings = properties.bitswap();
    this.providers = providers;
  }

  @Override
  public String protocol() {
    return Protocols.BITSWAP;
  }

  @Override
  public void received(PeerStream stream, String body) {
    String[] words = body.split(" ");
    if (words.length < 2) {
      return;
    }
    String cid = words[1];
    String key = stream.managed().id() + "/" + cid;
    switch (words[0]) {
      case "BLOCK" -> start(stream, cid, key);
      case "CHUNK" -> {
        Transfer t = inFlight.get(key);
        long bytes = words.length > 2 ? parse(words[2]) : 0;
        if (t != null && bytes > 0) {
          t.received += bytes;
          stream.managed().update(ExchangeStats.KEY, s -> s.bytesServed += bytes);
        }
      }
      case "DONE" -> finish(key, true);
      case "FAIL" -> finish(key, false);
      default -> {}
    }
  }

  private void start(PeerStream stream, String cid, String key) {
    long running = inFlight.values().stream().filter(t -> t.stream == stream).count();
    if (running >= MAX_TRANSFERS_PER_STREAM || inFlight.containsKey(key)) {
      stream.send("CANCEL " + cid);
      return;
    }
    Transfer t = new Transfer(cid, stream);
    inFlight.put(key, t);
    started.incrementAndGet();
    try {
      // the lease keeps every round away from this connection until the block is here
      t.lease = stream.managed().lease(settings.lease(), lease -> onExpiry(t, key, lease));
    } catch (IllegalStateException closedMeanwhile) {
      inFlight.remove(key, t);
    }
  }

  /** A round found the transfer's lease elapsed and is about to close the connection. */
  private LeaseDecision onExpiry(Transfer t, String key, Lease lease) {
    boolean progressing = t.received > t.receivedAtLastExpiry;
    t.receivedAtLastExpiry = t.received;
    if (progressing
        && t.extensions < settings.maxExtensions()
        && lease.canExtend(settings.extension())) {
      t.extensions++;
      extended.incrementAndGet();
      return LeaseDecision.extend(settings.extension());
    }
    // too slow: let this provider go and get the block elsewhere
    t.givenUp = true;
    inFlight.remove(key, t);
    t.stream.managed().update(ExchangeStats.KEY, s -> s.errors++);
    t.stream.send("CANCEL " + t.cid);
    replaced.incrementAndGet();
    providers.findProvider(t.cid, t.stream.peer());
    return LeaseDecision.release();
  }

  private void finish(String key, boolean delivered) {
    Transfer t = inFlight.remove(key);
    if (t == null) {
      return;
    }
    Lease lease = t.lease;
    if (lease != null) {
      lease.release();
    }
    if (delivered) {
      completed.incrementAndGet();
      t.stream.managed().update(ExchangeStats.KEY, s -> s.blocks++);
    } else {
      t.stream.managed().update(ExchangeStats.KEY, s -> s.errors++);
    }
  }

  @Override
  public void closed(PeerStream stream, Ending ending) {
    for (Map.Entry<String, Transfer> e : inFlight.entrySet()) {
      Transfer t = e.getValue();
      if (t.stream != stream
          || !inFlight.remove(e.getKey(), t)
          || ending != Ending.CONNECTION_EVICTED
          || t.givenUp) {
        continue;
      }
      Lease lease = t.lease;
      Instant roundStart = manager.stats().lastTrim().orElse(Instant.MIN);
      if (lease != null && lease.startedAt().isBefore(roundStart)) {
        // the round saw this lease and still closed the connection: must never happen
        cut.incrementAndGet();
        LOG.warn("the eviction of {} cut the leased transfer of block {}", stream.peer(), t.cid);
      } else {
        // the transfer began after the round had chosen this connection
        startedTooLate.incrementAndGet();
        LOG.debug("the transfer of block {} began after a round chose {}", t.cid, stream.peer());
      }
    }
  }

  /** Transfers started. */
  public long started() {
    return started.get();
  }

  /** Transfers delivered whole. */
  public long completed() {
    return completed.get();
  }

  /** Transfers in flight now. */
  public int inFlight() {
    return inFlight.size();
  }

  /** Lease extensions the listener granted. */
  public long extended() {
    return extended.get();
  }

  /** Transfers given up and asked of another provider. */
  public long replaced() {
    return replaced.get();
  }

  /**
   * Transfers an eviction cut although their lease was taken before the round started and the node
   * never gave them up; must stay zero.
   */
  public long cut() {
    return cut.get();
  }

  /**
   * Transfers whose lease was taken after a round had started and then chose their connection
   * anyway: the round plans its victims first and closes them after, so a lease taken in between is
   * not seen (a window in the core, reported).
   */
  public long startedTooLate() {
    return startedTooLate.get();
  }

  private static long parse(String number) {
    try {
      return Long.parseLong(number);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
