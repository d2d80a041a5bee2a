package io.connmgr.grpc;

import io.connmgr.Direction;
import io.connmgr.ManagedConnection;
import io.connmgr.ManagedStream;
import io.connmgr.netty.NettyConnections;
import io.grpc.Attributes;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.netty.channel.Channel;

/**
 * Opens a managed stream, named by the call's full method name, for each call on a managed
 * transport, puts it in the call's {@link Context} ({@link GrpcConnections#currentStream()}) and
 * closes it when the call ends, however it ends. Keeps each such call in {@link LiveCalls} while it
 * is open, for an eviction to end it.
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
    if (channel == null || connection == null || !connection.isOpen()) {
      return next.startCall(call, headers);
    }
    ManagedStream stream;
    try {
      stream =
          connection.openStream(call.getMethodDescriptor().getFullMethodName(), Direction.INBOUND);
    } catch (RuntimeException closedMeanwhile) {
      return next.startCall(call, headers);
    }
    CuttableCall<Q, R> cuttable = new CuttableCall<>(call, stream);
    LiveCalls.add(channel, cuttable);
    ServerCall.Listener<Q> listener;
    try {
      listener =
          Contexts.interceptCall(
              Context.current().withValue(GrpcConnections.STREAM, stream), cuttable, headers, next);
    } catch (RuntimeException e) {
      LiveCalls.remove(channel, cuttable);
      stream.close();
      throw e;
    }
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onCancel() {
        ended();
        super.onCancel();
      }

      /** grpc completes a call an eviction cut; to the application it was cancelled. */
      @Override
      public void onComplete() {
        ended();
        if (cuttable.wasCut()) {
          super.onCancel();
        } else {
          super.onComplete();
        }
      }

      private void ended() {
        LiveCalls.remove(channel, cuttable);
        stream.close();
      }
    };
  }
}
