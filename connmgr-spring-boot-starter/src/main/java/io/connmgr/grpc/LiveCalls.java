package io.connmgr.grpc;

import io.netty.channel.Channel;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The calls still open on each managed gRPC transport, kept on the transport's channel (so they go
 * with it), for an eviction to {@linkplain CuttableCall#cut end} them.
 */
final class LiveCalls {

  private static final AttributeKey<Set<CuttableCall<?, ?>>> CALLS =
      AttributeKey.valueOf(LiveCalls.class, "calls");

  private LiveCalls() {}

  static void add(Channel channel, CuttableCall<?, ?> call) {
    of(channel).add(call);
  }

  static void remove(Channel channel, CuttableCall<?, ?> call) {
    of(channel).remove(call);
  }

  /** Ends every call still open on {@code channel} with {@code UNAVAILABLE} and {@code reason}. */
  static void cutAll(Channel channel, String reason) {
    for (CuttableCall<?, ?> call : List.copyOf(of(channel))) {
      call.cut(reason);
    }
  }

  private static Set<CuttableCall<?, ?>> of(Channel channel) {
    Attribute<Set<CuttableCall<?, ?>>> attribute = channel.attr(CALLS);
    Set<CuttableCall<?, ?>> calls = attribute.get();
    if (calls != null) {
      return calls;
    }
    Set<CuttableCall<?, ?>> fresh = ConcurrentHashMap.newKeySet();
    Set<CuttableCall<?, ?>> raced = attribute.setIfAbsent(fresh);
    return raced == null ? fresh : raced;
  }
}
