package io.connmgr.grpc;

import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.netty.NettyConnections;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.netty.channel.Channel;

/**
 * Opens a managed stream, named by the call's full method name, for each call on a managed
 * transport, puts it in the call's {@link Context} ({@link GrpcConnections#currentStream()}) and
 * closes it when the call ends, however it ends.
 */
final class CallStreams implements ServerInterceptor {

  /** The transport attribute naming the channel a transport runs on. */
  static final Attributes.Key<Channel> CHANNEL = Attributes.Key.create("connmgr.channel");

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Channel channel = call.getAttributes().get(CHANNEL);
    ManagedConnection connection =
        channel == null ? null : NettyConnections.of(channel).orElse(null);
    if (connection == null || !connection.isOpen()) {
      return next.startCall(call, headers);
    }
    ManagedStream stream;
    try {
      stream =
          connection.openStream(call.getMethodDescriptor().getFullMethodName(), Direction.INBOUND);
    } catch (RuntimeException closedMeanwhile) {
      return next.startCall(call, headers);
    }
    ServerCall<Q, R> closing =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            stream.close();
            super.close(status, trailers);
          }
        };
    ServerCall.Listener<Q> listener;
    try {
      listener =
          Contexts.interceptCall(
              Context.current().withValue(GrpcConnections.STREAM, stream), closing, headers, next);
    } catch (RuntimeException e) {
      stream.close();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        stream.close();
        super.onCancel();
      }

      @Override
      public void onComplete() {
        stream.close();
        super.onComplete();
      }
    };
  }
}
