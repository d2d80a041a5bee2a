package io.connmgr.grpc;

import io.connmgr.ConnectionManager;
import io.connmgr.ManagedStream;
import io.connmgr.PeerIdentityResolver;
import io.connmgr.netty.ConnectionManagerHandler;
import io.grpc.Context;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts a grpc-netty server under a {@link ConnectionManager}: {@link #customize} a {@code
 * NettyServerBuilder} (Spring gRPC does it through the starter's {@code ServerBuilderCustomizer})
 * and each transport becomes a managed connection, each call a managed stream named by its full
 * method name ({@code pkg.Service/Method}), reachable from the call's thread through {@link
 * #currentStream()} (to take a lease on a long call, say).
 *
 * <p>The peer is resolved by the {@link PeerIdentityResolver} when the transport is ready: the TLS
 * peer certificate if the client presented one, else the remote host (unverified). A refused
 * transport gets a GOAWAY whose debug data says why, then closes; its calls fail with {@code
 * UNAVAILABLE}. An evicted transport's open calls end with {@code UNAVAILABLE} and the eviction's
 * reason as their status description (ended through grpc, so the server side sees each one
 * cancelled, its {@code Context} too), then it gets a GOAWAY with the reason and closes.
 *
 * <p>To reach the accepted channels this sets the builder's channel factory and its boss and worker
 * event loop groups (NIO, owned here and shut down by {@link #close()}); a server on a Unix domain
 * socket or one whose channel type the application sets itself is not supported: its transports run
 * unmanaged, which this logs once as a warning and counts ({@link #unmanagedTransports()}).
 */
public final class GrpcConnections implements AutoCloseable {

  /** The transport name the resolver sees: {@value}. */
  public static final String TRANSPORT = "grpc";

  static final Context.Key<ManagedStream> STREAM = Context.key("connmgr.stream");

  private final ConnectionManagerHandler handler;
  private final AcceptedChannels accepted;
  private final TransportAdmission admission;
  private final CallStreams calls = new CallStreams();
  private final EventLoopGroup boss =
      new MultiThreadIoEventLoopGroup(
          1, new DefaultThreadFactory("connmgr-grpc-boss", true), NioIoHandler.newFactory());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(
          0, new DefaultThreadFactory("connmgr-grpc-worker", true), NioIoHandler.newFactory());

  /** Connections for {@code manager}, named by {@code resolver}. */
  public GrpcConnections(ConnectionManager manager, PeerIdentityResolver resolver) {
    this.handler =
        ConnectionManagerHandler.builder(manager)
            .resolver(resolver)
            .transport(TRANSPORT)
            .awaitIdentification()
            .build();
    this.accepted = new AcceptedChannels(handler, new GrpcCallCutter());
    this.admission = new TransportAdmission(accepted);
  }

  /** Puts the server this builder builds under the manager. */
  public void customize(NettyServerBuilder builder) {
    builder
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .channelFactory(
            () -> {
              NioServerSocketChannel server = new NioServerSocketChannel();
              server.pipeline().addLast(accepted);
              return server;
            })
        .addTransportFilter(admission)
        .intercept(calls);
  }

  /** The managed stream of the gRPC call running on this thread; empty outside a managed call. */
  public static Optional<ManagedStream> currentStream() {
    return Optional.ofNullable(STREAM.get());
  }

  /** How many transports the manager refused at admission. */
  public long refusedConnections() {
    return handler.refusedConnections();
  }

  /**
   * How many transports ran unmanaged (not counted, under no cap) because their channel was not
   * accepted through the channel factory {@link #customize} sets; zero on a supported server.
   */
  public long unmanagedTransports() {
    return admission.unmanagedTransports();
  }

  /** Shuts the event loops down; call after the servers stopped. */
  @Override
  public void close() {
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
  }
}
