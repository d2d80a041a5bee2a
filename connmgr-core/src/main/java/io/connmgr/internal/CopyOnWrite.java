package io.connmgr.internal;

import java.util.Arrays;

/** Small copy-on-write array edits for the lists that readers scan without a lock. */
final class CopyOnWrite {

  private CopyOnWrite() {}

  static <T> T[] append(T[] array, T element) {
    T[] grown = Arrays.copyOf(array, array.length + 1);
    grown[array.length] = element;
    return grown;
  }

  /** The array without the element at {@code index}. */
  static <T> T[] removeAt(T[] array, int index) {
    T[] shrunk = Arrays.copyOf(array, array.length - 1);
    System.arraycopy(array, index + 1, shrunk, index, array.length - index - 1);
    return shrunk;
  }

  /** The index of {@code element} by identity, or -1. */
  static int indexOf(Object[] array, Object element) {
    for (int i = 0; i < array.length; i++) {
      if (array[i] == element) {
        return i;
      }
    }
    return -1;
  }
}
