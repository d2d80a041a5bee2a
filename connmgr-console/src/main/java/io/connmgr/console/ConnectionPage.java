package io.connmgr.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One page of the connections table: its rows, the counts, and the links to other pages and sorts.
 */
final class ConnectionPage {

  private final ConnectionQuery query;
  private final List<ConnectionRow> rows;
  private final int matching;
  private final int total;
  private final int page;
  private final int pages;

  ConnectionPage(
      ConnectionQuery query,
      ConsoleData.View view,
      int[] indices,
      int matching,
      int total,
      int page,
      int pages) {
    this.query = query;
    this.matching = matching;
    this.total = total;
    this.page = page;
    this.pages = pages;
    List<ConnectionRow> list = new ArrayList<>(indices.length);
    for (int i : indices) {
      list.add(ConnectionRow.of(view, i));
    }
    this.rows = List.copyOf(list);
  }

  public ConnectionQuery getQuery() {
    return query;
  }

  public List<ConnectionRow> getRows() {
    return rows;
  }

  public int getMatching() {
    return matching;
  }

  public int getTotal() {
    return total;
  }

  public int getPage() {
    return page;
  }

  public int getPages() {
    return pages;
  }

  public boolean isHasPrevious() {
    return page > 1;
  }

  public boolean isHasNext() {
    return page < pages;
  }

  /** The query string for another page of this query. */
  public String pageQuery(int to) {
    return Links.query(query.withPage(Math.max(1, Math.min(pages, to))));
  }

  /** The query string for this query sorted on {@code column}. */
  public String sortQuery(String column) {
    return Links.query(query.sortedOn(column));
  }

  /** The arrow shown beside the sorted column, empty for the others. */
  public String sortMark(String column) {
    if (!query.sort().name().equalsIgnoreCase(column)) {
      return "";
    }
    return query.descending() ? "▼" : "▲";
  }

  /** The filter parameters, for the filter form's current values. */
  public Map<String, String> getFilters() {
    return query.filterParams();
  }
}
