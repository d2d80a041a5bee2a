package io.connmgr.sample;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The gRPC half of the swarm: {@code sample.grpc.clients} clients on loopback, each on its own
 * transport, fetching files from the node's {@link BlockService} with pauses between fetches. A
 * client whose transport the node evicts or refuses (its call ends {@code UNAVAILABLE} with the
 * reason) drops it and connects again after {@code sample.grpc.backoff}.
 */
final class GrpcSwarm implements DisposableBean {

  private static final Log LOG = LogFactory.getLog(GrpcSwarm.class);

  private final GrpcSampleProperties properties;
  private final ScheduledExecutorService timer;
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final AtomicLong cut = new AtomicLong();
  private volatile boolean stopped;

  GrpcSwarm(GrpcSampleProperties properties) {
    this.properties = properties;
    CustomizableThreadFactory thread = new CustomizableThreadFactory("sample-grpc-swarm-");
    thread.setDaemon(true);
    this.timer = Executors.newSingleThreadScheduledExecutor(thread);
  }

  /** Starts the clients once the gRPC server listens, on whatever port it got. */
  @EventListener
  public void serverStarted(GrpcServerStartedEvent started) {
    for (int i = 0; i < properties.clients(); i++) {
      int client = i;
      timer.schedule(() -> connect(started.getPort(), client), i * 50L, TimeUnit.MILLISECONDS);
    }
  }

  /** How many fetches the node cut (evictions and refusals) since the start. */
  long cutFetches() {
    return cut.get();
  }

  private void connect(int port, int client) {
    if (stopped) {
      return;
    }
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    synchronized (channels) {
      channels.add(channel);
    }
    fetch(port, client, channel, 0);
  }

  private void fetch(int port, int client, ManagedChannel channel, int n) {
    if (stopped) {
      return;
    }
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(BlockService.FETCH, CallOptions.DEFAULT),
        "file-" + client + "-" + n,
        new StreamObserver<>() {
          @Override
          public void onNext(String chunk) {}

          @Override
          public void onCompleted() {
            long pause = ThreadLocalRandom.current().nextLong(properties.pause().toMillis() + 1);
            timer.schedule(() -> fetch(port, client, channel, n + 1), pause, TimeUnit.MILLISECONDS);
          }

          @Override
          public void onError(Throwable t) {
            cut.incrementAndGet();
            LOG.debug("gRPC client " + client + ": " + Status.fromThrowable(t));
            channel.shutdownNow();
            synchronized (channels) {
              channels.remove(channel);
            }
            timer.schedule(
                () -> connect(port, client),
                properties.backoff().toMillis(),
                TimeUnit.MILLISECONDS);
          }
        });
  }

  @Override
  public void destroy() {
    stopped = true;
    timer.shutdownNow();
    synchronized (channels) {
      channels.forEach(ManagedChannel::shutdownNow);
    }
  }
}
