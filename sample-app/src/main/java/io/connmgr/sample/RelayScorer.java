package io.connmgr.sample;

import io.connmgr.ConnectionScorer;
import io.connmgr.ConnectionView;
import io.connmgr.Score;
import org.springframework.stereotype.Component;

/**
 * Rates a connection by the relay circuits open through it, counted in its {@link Circuits} state:
 * 150 per circuit, 20 for a reservation alone, at most 1000. Computed only when a round asks;
 * circuits opening and closing cost the manager nothing. Registered by the starter under its bean
 * name, {@code relay}.
 */
@Component("relay")
public class RelayScorer implements ConnectionScorer {

  @Override
  public int score(ConnectionView connection) {
    Circuits circuits = connection.state(Circuits.KEY);
    int score = 150 * circuits.count() + (circuits.reserved() ? 20 : 0);
    return Math.min(Score.MAX, score);
  }
}
