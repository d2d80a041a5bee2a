package io.connmgr.sample;

import io.connmgr.BumpFunctions;
import io.connmgr.ConnectionManager;
import io.connmgr.DecayFunctions;
import io.connmgr.DecayingTag;
import io.connmgr.Lease;
import io.connmgr.LeaseDecision;
import io.connmgr.PeerId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * The node's side of {@code gossip}, after gossipsub. Up to {@code sample.gossip.mesh-size} peers
 * are grafted into the mesh; each holds a lease on its stream that the listener extends for as long
 * as the peer stays grafted. When the manager's lease lifetime runs out the peer is pruned (mesh
 * rotation) and may graft again. Every first delivery of a message bumps the decaying tag {@code
 * gossip-deliveries} (bounded at 100, halved every {@code sample.gossip.decay-interval}), so peers
 * that deliver news are worth keeping and those that stopped fade.
 *
 * <p>Messages: {@code GRAFT} answered by {@code GRAFTED} or {@code PRUNE}; {@code PUBLISH <id>};
 * {@code PRUNE} from a peer leaving the mesh; the node sends {@code PRUNE} when it rotates one out.
 */
@Component
public class GossipMesh implements ProtocolHandler, DisposableBean {

  /** The decaying tag's name. */
  public static final String DELIVERIES = "gossip-deliveries";

  /** How much a first delivery is worth. */
  static final int BUMP = 5;

  private static final int SEEN_CACHE = 10_000;

  private final SampleProperties.Gossip settings;
  private final DecayingTag deliveries;
  private final Map<PeerId, Lease> mesh = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seen =
      new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > SEEN_CACHE;
        }
      };
  private final AtomicLong firstDeliveries = new AtomicLong();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong rotated = new AtomicLong();

  /** The mesh; registers the decaying delivery tag on {@code manager}. */
  public GossipMesh(ConnectionManager manager, SampleProperties properties) {
    this.settings = properties.gossip();
    this.deliveries =
        manager.registerDecayingTag(
            DELIVERIES,
            settings.decayInterval(),
            DecayFunctions.linear(0.5),
            BumpFunctions.boundedSum(0, 100));
  }

  @Override
  public String protocol() {
    return Protocols.GOSSIP;
  }

  @Override
  public void received(PeerStream stream, String body) {
    if (body.equals("GRAFT")) {
      graft(stream);
    } else if (body.equals("PRUNE")) {
      prune(stream.peer());
    } else if (body.startsWith("PUBLISH ")) {
      boolean first;
      synchronized (seen) {
        first = seen.put(body.substring("PUBLISH ".length()), Boolean.TRUE) == null;
      }
      if (first) {
        firstDeliveries.incrementAndGet();
        deliveries.bump(stream.peer(), BUMP);
      } else {
        duplicates.incrementAndGet();
      }
    }
  }

  private void graft(PeerStream stream) {
    PeerId peer = stream.peer();
    synchronized (mesh) {
      if (mesh.containsKey(peer) || mesh.size() >= settings.meshSize()) {
        stream.send(mesh.containsKey(peer) ? "GRAFTED" : "PRUNE");
        return;
      }
      Duration length = settings.lease();
      // grafted peers are kept: the lease is extended while the peer stays in the mesh
      Lease lease =
          stream
              .managed()
              .lease(
                  length,
                  l -> {
                    if (mesh.get(peer) == l && l.canExtend(length)) {
                      return LeaseDecision.extend(length);
                    }
                    if (mesh.remove(peer, l)) {
                      rotated
                          .incrementAndGet(); // grafted for the lease's whole lifetime: rotate it
                      // out
                      stream.send("PRUNE");
                    }
                    return LeaseDecision.release();
                  });
      mesh.put(peer, lease);
    }
    stream.send("GRAFTED");
  }

  private void prune(PeerId peer) {
    Lease lease = mesh.remove(peer);
    if (lease != null) {
      lease.release();
    }
  }

  @Override
  public void closed(PeerStream stream, Ending ending) {
    Lease lease = mesh.get(stream.peer());
    if (lease != null && lease.connection().id() == stream.connection().id()) {
      mesh.remove(stream.peer(), lease);
    }
  }

  /** Peers grafted now. */
  public int meshSize() {
    return mesh.size();
  }

  /** Messages delivered for the first time. */
  public long firstDeliveries() {
    return firstDeliveries.get();
  }

  /** Messages delivered again. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Peers pruned when their lease reached its lifetime. */
  public long rotated() {
    return rotated.get();
  }

  @Override
  public void destroy() {
    deliveries.close();
  }
}
