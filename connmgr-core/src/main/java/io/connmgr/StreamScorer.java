package io.connmgr;

import java.util.Objects;
import java.util.function.ToIntFunction;

/**
 * Rates each open stream of one protocol when a round asks; the scores of a connection's streams
 * add to the connection's score.
 */
public interface StreamScorer {

  /** The protocol whose streams this scorer rates. */
  String protocol();

  /** Returns a score in [{@link Score#MIN}, {@link Score#MAX}], or {@link Score#KEEP}. */
  int score(StreamView stream);

  /** A stream scorer for {@code protocol} from a function. */
  static StreamScorer of(String protocol, ToIntFunction<StreamView> fn) {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(fn, "fn");
    if (protocol.isBlank()) {
      throw new IllegalArgumentException("stream scorer protocol must not be blank");
    }
    return new StreamScorer() {
      @Override
      public String protocol() {
        return protocol;
      }

      @Override
      public int score(StreamView stream) {
        return fn.applyAsInt(stream);
      }

      @Override
      public String toString() {
        return "StreamScorer[" + protocol + "]";
      }
    };
  }
}
