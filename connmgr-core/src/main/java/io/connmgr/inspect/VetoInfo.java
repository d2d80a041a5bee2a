package io.connmgr.inspect;

import java.util.Objects;

/**
 * A registered veto and its record so far.
 *
 * @param name the name it was registered under
 * @param reviews candidates it reviewed
 * @param vetoes candidates it vetoed
 * @param errors reviews that threw (counted as allow)
 */
public record VetoInfo(String name, long reviews, long vetoes, long errors) {

  /** Checks the name. */
  public VetoInfo {
    Objects.requireNonNull(name, "name");
  }
}
