package io.connmgr.internal;

import java.util.Comparator;
import java.util.Iterator;
import java.util.concurrent.ConcurrentSkipListSet;

/**
 * The leases one connection holds, in the order they were taken. Changed under the peer's monitor
 * at O(log n) a change, however many it holds (a copied array cost O(n) a lease); read without a
 * lock, each walk seeing every lease held throughout it.
 */
final class LeaseSet implements Iterable<LeaseImpl> {

  private static final Comparator<LeaseImpl> IN_ORDER_TAKEN =
      Comparator.comparingLong(LeaseImpl::number);

  private final ConcurrentSkipListSet<LeaseImpl> leases =
      new ConcurrentSkipListSet<>(IN_ORDER_TAKEN);

  /** How many it holds (the skip list counts by walking); guarded by the peer's monitor. */
  private int size;

  /** How many leases it has numbered; guarded by the peer's monitor. */
  private long numbered;

  /** The number of the next lease it holds: it keeps them in the order of these numbers. */
  long nextNumber() {
    return numbered++;
  }

  void add(LeaseImpl lease) {
    if (leases.add(lease)) {
      size++;
    }
  }

  /** Removes {@code lease}; false if it held none such. */
  boolean remove(LeaseImpl lease) {
    if (leases.remove(lease)) {
      size--;
      return true;
    }
    return false;
  }

  /** How many it holds; under the peer's monitor. */
  int size() {
    return size;
  }

  LeaseImpl[] toArray() {
    return leases.toArray(LeaseImpl.NONE);
  }

  @Override
  public Iterator<LeaseImpl> iterator() {
    return leases.iterator();
  }
}
