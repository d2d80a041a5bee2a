package io.connmgr.actuate;

import io.connmgr.inspect.Assessment;
import java.time.Duration;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One assessment shared by the endpoint's reads for {@link #FRESH_FOR} after it was made. An
 * assessment scores every connection with every scorer (about 190 ms at 100 000 connections), on
 * the callback threads the manager's rounds use too: made for every request, a read-only caller or
 * an eager scraper could keep them busy and push a round's scorer calls past their budget. Reads
 * that come while one is being made wait for it and share it; the endpoint's own writes forget it,
 * so an operator sees the effect of an action at once.
 */
final class SharedAssessment {

  /** How long an assessment serves reads. */
  static final Duration FRESH_FOR = Duration.ofSeconds(1);

  private final Supplier<Assessment> assess;
  private final LongSupplier nanoTime;
  private @Nullable Assessment last;
  private long madeAtNanos;

  /** Assessments from {@code assess}, their age read from {@code nanoTime}. */
  SharedAssessment(Supplier<Assessment> assess, LongSupplier nanoTime) {
    this.assess = assess;
    this.nanoTime = nanoTime;
  }

  /** The shared assessment, made now if there is none younger than {@link #FRESH_FOR}. */
  synchronized Assessment get() {
    long now = nanoTime.getAsLong();
    Assessment current = last;
    if (current == null || now - madeAtNanos >= FRESH_FOR.toNanos()) {
      current = assess.get();
      last = current;
      madeAtNanos = now;
    }
    return current;
  }

  /** Forgets the shared assessment: the next read makes a new one. */
  synchronized void forget() {
    last = null;
  }
}
