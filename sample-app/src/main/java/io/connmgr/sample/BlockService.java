package io.connmgr.sample;

import io.connmgr.Lease;
import io.connmgr.LeaseListener;
import io.connmgr.grpc.GrpcConnections;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * The node's gRPC protocol, on its second transport: {@code sample.Blocks/Fetch} streams a file's
 * chunks, one per {@code sample.grpc.chunk-interval}, and leases its connection for the transfer
 * (as bitswap does on WebSocket), so no trim cuts a fetch half-way; the lease goes with the call.
 */
final class BlockService implements BindableService, DisposableBean {

  static final String SERVICE = "sample.Blocks";

  static final MethodDescriptor<String, String> FETCH =
      MethodDescriptor.<String, String>newBuilder()
          .setType(MethodType.SERVER_STREAMING)
          .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Fetch"))
          .setRequestMarshaller(Utf8Marshaller.INSTANCE)
          .setResponseMarshaller(Utf8Marshaller.INSTANCE)
          .build();

  private final GrpcSampleProperties properties;
  private final ScheduledExecutorService ticker;

  BlockService(GrpcSampleProperties properties) {
    this.properties = properties;
    CustomizableThreadFactory thread = new CustomizableThreadFactory("sample-grpc-blocks-");
    thread.setDaemon(true);
    this.ticker = Executors.newSingleThreadScheduledExecutor(thread);
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(FETCH, ServerCalls.asyncServerStreamingCall(this::fetch))
        .build();
  }

  private void fetch(String file, StreamObserver<String> out) {
    ServerCallStreamObserver<String> call = (ServerCallStreamObserver<String>) out;
    Duration transfer = properties.chunkInterval().multipliedBy(properties.chunks());
    @Nullable Lease lease =
        GrpcConnections.currentStream()
            .map(s -> s.lease(transfer.plusSeconds(5), LeaseListener.releasing()))
            .orElse(null);
    AtomicInteger sent = new AtomicInteger();
    AtomicReference<@Nullable ScheduledFuture<?>> task = new AtomicReference<>();
    Runnable stop =
        () -> {
          ScheduledFuture<?> t = task.get();
          if (t != null) {
            t.cancel(false);
          }
          if (lease != null) {
            lease.release();
          }
        };
    call.setOnCancelHandler(stop);
    task.set(
        ticker.scheduleAtFixedRate(
            () -> {
              if (call.isCancelled()) {
                stop.run();
                return;
              }
              int n = sent.incrementAndGet();
              try {
                call.onNext(file + " chunk " + n + "/" + properties.chunks());
                if (n >= properties.chunks()) {
                  call.onCompleted();
                  stop.run();
                }
              } catch (RuntimeException cancelledMeanwhile) {
                stop.run();
              }
            },
            properties.chunkInterval().toMillis(),
            properties.chunkInterval().toMillis(),
            TimeUnit.MILLISECONDS));
  }

  @Override
  public void destroy() {
    ticker.shutdownNow();
  }
}
