package io.connmgr.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.common.util.concurrent.MoreExecutors;
import io.connmgr.AdmissionLimit;
import io.connmgr.ConnectionManager;
import io.connmgr.Direction;
import io.connmgr.LeaseListener;
import io.connmgr.PeerId;
import io.connmgr.StreamView;
import io.connmgr.TrimReport;
import io.connmgr.inspect.ConnectionSnapshot;
import io.grpc.BindableService;
import io.grpc.CallOptions;
import io.grpc.Context;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * Spring gRPC's real grpc-netty server and real gRPC clients over loopback: transports as
 * connections, calls as streams, a lease on a streaming call, refusals and evictions whose reason
 * reaches the client in the status of the calls they cut.
 */
@SpringBootTest(
    webEnvironment = WebEnvironment.NONE,
    properties = {
      "spring.grpc.server.port=0",
      "spring.grpc.server.host=127.0.0.1",
      "spring.grpc.server.shutdown-grace-period=1s",
      "connmgr.low-water=1",
      "connmgr.high-water=3",
      "connmgr.grace-period=0s",
      "connmgr.silence-period=0s",
      "connmgr.admission.max-connections-per-peer=3"
    })
class GrpcEndToEndTests {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String SERVICE = "connmgr.test.Echo";
  private static final MethodDescriptor<String, String> SAY =
      TestMethods.text(SERVICE, "Say", MethodType.UNARY);
  private static final MethodDescriptor<String, String> WATCH =
      TestMethods.text(SERVICE, "Watch", MethodType.SERVER_STREAMING);

  @Autowired private ConnectionManager manager;

  @Autowired private GrpcServerLifecycle server;

  @Autowired private GrpcConnections grpc;

  @Autowired private ServerSide serverSide;

  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void closeChannels() throws InterruptedException {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  @Test
  void eachTransportIsAConnectionAndEachCallAStreamNamedByItsMethod() {
    ManagedChannel channel = channel();
    Watch watch = watch(channel, "plain");
    await().atMost(WAIT).until(() -> streams().size() == 1);

    assertThat(ClientCalls.blockingUnaryCall(channel, SAY, CallOptions.DEFAULT, "hi"))
        .isEqualTo("hi");
    ConnectionSnapshot connection = manager.inspect().snapshot().connections().get(0);
    assertThat(connection.peer()).isEqualTo(PeerId.unverified("127.0.0.1"));
    assertThat(connection.direction()).isEqualTo(Direction.INBOUND);
    assertThat(connection.attachments()).containsEntry("transport", "grpc");
    await().atMost(WAIT).until(() -> streams().size() == 1);
    assertThat(streams()).extracting(StreamView::protocol).containsExactly(SERVICE + "/Watch");
    assertThat(watch.updates).contains("plain");

    channel.shutdownNow();
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  @Test
  void anEvictionEndsTheTransportsCallsWithUnavailableAndTheReason() throws Exception {
    Watch watch = watch(channel(), "plain");
    await().atMost(WAIT).until(() -> streams().size() == 1);

    manager.evict(
        manager.inspect().snapshot().connections().get(0).id(), "opérateur: drain node 3 (100% ✓)");

    Status status = watch.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(status.getDescription()).isEqualTo("opérateur: drain node 3 (100% ✓)");
    await().atMost(WAIT).until(() -> manager.connectionCount() == 0);
  }

  @Test
  void anEvictionEndsTheServerSideOfAnIdleStreamingCallCancellingItsContext() {
    watch(channel(), "subscriber");
    await().atMost(WAIT).until(() -> streams().size() == 1);

    manager.evict(manager.inspect().snapshot().connections().get(0).id(), "operator: drain");

    await()
        .atMost(Duration.ofSeconds(2))
        .untilAsserted(
            () -> {
              assertThat(serverSide.cancelled).contains("subscriber");
              assertThat(serverSide.contextsCancelled).contains("subscriber");
            });
  }

  @Test
  void aStreamingCallHeldByALeaseKeepsItsTransportThroughATrim() throws Exception {
    Watch leased = watch(channel(), "lease");
    await()
        .atMost(WAIT)
        .until(
            () ->
                manager.inspect().snapshot().connections().stream()
                    .anyMatch(c -> !c.leases().isEmpty()));
    Watch plain = watch(channel(), "plain");
    await()
        .atMost(WAIT)
        .until(
            () ->
                manager.connectionCount() == 2
                    && manager.inspect().snapshot().connections().stream()
                        .allMatch(c -> c.streamCount() == 1));

    TrimReport report = manager.trim();

    assertThat(report.evicted()).hasSize(1);
    Status cut = plain.end.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(cut.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(cut.getDescription()).isEqualTo(report.evicted().get(0).reason());
    assertThat(leased.end).isNotDone();
    assertThat(manager.connectionCount()).isEqualTo(1);
  }

  @Test
  void aRefusedTransportsCallFailsWithUnavailableSayingWhy() {
    for (int i = 0; i < 3; i++) {
      ClientCalls.blockingUnaryCall(channel(), SAY, CallOptions.DEFAULT, "hi");
    }
    await().atMost(WAIT).until(() -> manager.connectionCount() == 3);

    assertThatThrownBy(
            () -> ClientCalls.blockingUnaryCall(channel(), SAY, CallOptions.DEFAULT, "hi"))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
              assertThat(e.getStatus().getDescription()).contains("connection refused: ");
            });
    // grpc-java retries a call the server never processed on a new transport, so one call may
    // cost several refused transports; none of them counts
    assertThat(grpc.refusedConnections()).isPositive();
    assertThat(manager.stats().refusals().get(AdmissionLimit.MAX_PER_PEER))
        .isEqualTo(grpc.refusedConnections());
    assertThat(manager.connectionCount()).isEqualTo(3);
  }

  private List<? extends StreamView> streams() {
    List<ConnectionSnapshot> all = manager.inspect().snapshot().connections();
    return all.isEmpty() ? List.of() : all.get(0).streams();
  }

  private ManagedChannel channel() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  private static Watch watch(ManagedChannel channel, String request) {
    Watch watch = new Watch();
    ClientCalls.asyncServerStreamingCall(
        channel.newCall(WATCH, CallOptions.DEFAULT), request, watch);
    return watch;
  }

  /** A client's view of one Watch call: its updates and how it ended. */
  private static final class Watch implements StreamObserver<String> {
    final BlockingQueue<String> updates = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> end = new CompletableFuture<>();

    @Override
    public void onNext(String value) {
      updates.add(value);
    }

    @Override
    public void onError(Throwable t) {
      end.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      end.complete(Status.OK);
    }
  }

  /** What the server's Watch calls saw of their end, by request. */
  static final class ServerSide {
    final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    final Set<String> contextsCancelled = ConcurrentHashMap.newKeySet();

    void watch(String request, StreamObserver<String> out) {
      ((ServerCallStreamObserver<String>) out).setOnCancelHandler(() -> cancelled.add(request));
      Context.current()
          .addListener(context -> contextsCancelled.add(request), MoreExecutors.directExecutor());
    }
  }

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {

    @Bean
    ServerSide serverSide() {
      return new ServerSide();
    }

    /**
     * Say echoes; Watch answers once and stays open, taking a lease when asked to, and tells the
     * {@link ServerSide} how it ended.
     */
    @Bean
    BindableService echoService(ServerSide serverSide) {
      return () ->
          ServerServiceDefinition.builder(SERVICE)
              .addMethod(
                  SAY,
                  ServerCalls.asyncUnaryCall(
                      (String request, StreamObserver<String> out) -> {
                        out.onNext(request);
                        out.onCompleted();
                      }))
              .addMethod(
                  WATCH,
                  ServerCalls.asyncServerStreamingCall(
                      (String request, StreamObserver<String> out) -> {
                        serverSide.watch(request, out);
                        if (request.equals("lease")) {
                          GrpcConnections.currentStream()
                              .orElseThrow()
                              .lease(Duration.ofMinutes(1), LeaseListener.releasing());
                        }
                        out.onNext(request);
                      }))
              .build();
    }
  }
}
