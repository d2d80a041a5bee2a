package io.connmgr.console;

/** A page of results as the pager fragment reads it: where it falls, and links to the others. */
interface Paged {

  Paging paging();

  /** The query string for another page of the same query. */
  String pageQuery(int to);

  default int getPage() {
    return paging().page();
  }

  default int getPages() {
    return paging().pages();
  }

  default boolean isHasPrevious() {
    return paging().page() > 1;
  }

  default boolean isHasNext() {
    return paging().page() < paging().pages();
  }
}
