package io.connmgr.grpc;

import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/** gRPC methods for tests, with plain bytes or UTF-8 text on the wire: no protobuf needed. */
final class TestMethods {

  /** A unary method answering the bytes it was sent. */
  static final MethodDescriptor<byte[], byte[]> PING =
      bytes("connmgr.test.Ping", "Ping", MethodType.UNARY);

  private TestMethods() {}

  /** The service of {@link #PING}. */
  static ServerServiceDefinition pingService() {
    return ServerServiceDefinition.builder("connmgr.test.Ping")
        .addMethod(
            PING,
            ServerCalls.asyncUnaryCall(
                (byte[] in, StreamObserver<byte[]> out) -> {
                  out.onNext(in);
                  out.onCompleted();
                }))
        .build();
  }

  /** A method taking and answering raw bytes. */
  static MethodDescriptor<byte[], byte[]> bytes(String service, String name, MethodType type) {
    Marshaller<byte[]> m = new Marshaller<>(b -> b, b -> b);
    return method(service, name, type, m);
  }

  /** A method taking and answering text. */
  static MethodDescriptor<String, String> text(String service, String name, MethodType type) {
    Marshaller<String> m =
        new Marshaller<>(
            s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
    return method(service, name, type, m);
  }

  private static <T> MethodDescriptor<T, T> method(
      String service, String name, MethodType type, Marshaller<T> marshaller) {
    return MethodDescriptor.<T, T>newBuilder()
        .setType(type)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(service, name))
        .setRequestMarshaller(marshaller)
        .setResponseMarshaller(marshaller)
        .build();
  }

  private record Marshaller<T>(Function<T, byte[]> encode, Function<byte[], T> decode)
      implements MethodDescriptor.Marshaller<T> {

    @Override
    public InputStream stream(T value) {
      return new ByteArrayInputStream(encode.apply(value));
    }

    @Override
    public T parse(InputStream stream) {
      try {
        return decode.apply(stream.readAllBytes());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
