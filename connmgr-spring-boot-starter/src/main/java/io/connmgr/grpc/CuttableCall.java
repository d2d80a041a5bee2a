package io.connmgr.grpc;

import io.connmgr.ManagedStream;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;

/**
 * A server call of a managed transport that an eviction can end through grpc ({@link #cut}), so
 * grpc completes its stream, ends its listener and cancels its {@code Context}, as it would not if
 * the call's HTTP/2 stream were ended under it. The call's writes and its close, the application's
 * and the cut, take turns on the call's lock, as grpc requires of a call's users. Closes its
 * managed stream when it closes.
 */
final class CuttableCall<Q, R> extends SimpleForwardingServerCall<Q, R> {

  private final ManagedStream stream;
  // guarded by this
  private boolean closed;
  // written under this; read without it by the listener once grpc ended the call
  private volatile boolean cut;

  CuttableCall(ServerCall<Q, R> call, ManagedStream stream) {
    super(call);
    this.stream = stream;
  }

  /**
   * Ends the call with {@code UNAVAILABLE} and {@code reason} unless the application closed it
   * already; what the application sends or closes afterwards is dropped.
   */
  synchronized void cut(String reason) {
    if (closed) {
      return;
    }
    closed = true;
    cut = true;
    stream.close();
    super.close(Status.UNAVAILABLE.withDescription(reason), new Metadata());
  }

  /** Whether an eviction ended the call: its end is then a cancellation to the application. */
  boolean wasCut() {
    return cut;
  }

  @Override
  public synchronized void close(Status status, Metadata trailers) {
    if (!cut) {
      closed = true;
      stream.close();
      super.close(status, trailers);
    }
  }

  @Override
  public synchronized void sendHeaders(Metadata headers) {
    if (!cut) {
      super.sendHeaders(headers);
    }
  }

  @Override
  public synchronized void sendMessage(R message) {
    if (!cut) {
      super.sendMessage(message);
    }
  }

  @Override
  public synchronized void request(int numMessages) {
    if (!cut) {
      super.request(numMessages);
    }
  }

  @Override
  public synchronized void setMessageCompression(boolean enabled) {
    super.setMessageCompression(enabled);
  }

  @Override
  public synchronized void setCompression(String compressor) {
    super.setCompression(compressor);
  }
}
