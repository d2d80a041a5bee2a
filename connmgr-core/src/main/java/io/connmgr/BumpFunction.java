package io.connmgr;

/**
 * How a decaying tag's value changes on {@link DecayingTag#bump}. Must be a small pure function: it
 * runs under the peer's lock. See {@link BumpFunctions}.
 */
@FunctionalInterface
public interface BumpFunction {

  /** Returns the new value. */
  int bump(int value, int delta);
}
