package io.connmgr.console;

/**
 * Where one page falls in a list of {@code count} rows: a page beyond the last shows the last.
 *
 * @param page the page shown, from 1
 * @param pages how many pages there are (at least 1)
 * @param from the index of the page's first row
 * @param to the index after the page's last row
 */
record Paging(int page, int pages, int from, int to) {

  static Paging of(int count, int page, int size) {
    int pages = Math.max(1, (int) ((count + (long) size - 1) / size));
    int shown = Math.min(page, pages);
    int from = (shown - 1) * size;
    return new Paging(shown, pages, from, Math.min(count, from + size));
  }
}
