package io.connmgr.sample;

import io.connmgr.StreamScorer;
import io.connmgr.StreamView;
import org.springframework.stereotype.Component;

/**
 * Rates each open {@code bitswap} stream by how useful its provider has been, from the {@link
 * ExchangeStats} bitswap keeps on the stream. Pulled: the manager calls it only when a round (or
 * the console's assessment) needs scores; nothing is pushed while blocks move. Registered by the
 * starter under its bean name, {@code bitswap}.
 */
@Component("bitswap")
public class BitswapScorer implements StreamScorer {

  @Override
  public String protocol() {
    return Protocols.BITSWAP;
  }

  @Override
  public int score(StreamView stream) {
    return stream.state(ExchangeStats.KEY).usefulness();
  }
}
