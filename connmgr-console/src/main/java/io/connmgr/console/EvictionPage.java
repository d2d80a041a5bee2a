package io.connmgr.console;

import io.connmgr.EvictionRecord;
import java.util.List;
import java.util.Map;

/**
 * One page of the evictions page: its records, the counts, and the links to other pages.
 *
 * @param query the query that chose them
 * @param rows the records on this page, newest first
 * @param matching how many records match the filters
 * @param total how many records the console keeps now
 * @param paging where this page falls
 */
record EvictionPage(
    EvictionQuery query, List<EvictionRecord> rows, int matching, int total, Paging paging)
    implements Paged {

  @Override
  public String pageQuery(int to) {
    return Links.query(query.withPage(Math.max(1, Math.min(paging.pages(), to))));
  }

  /** The filter parameters, for the filter form's current values. */
  public Map<String, String> getFilters() {
    return query.filterParams();
  }
}
