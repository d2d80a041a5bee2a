package io.connmgr.console;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import org.springframework.ui.Model;

/**
 * What every console page needs in its model: the base path, the refresh period, whether the user
 * sees action buttons, and the form token.
 */
final class ConsolePages {

  private final ConsoleProperties properties;
  private final ConsoleAccess access;
  private final ConsoleCsrf csrf;
  private final boolean actionsRegistered;

  ConsolePages(
      ConsoleProperties properties,
      ConsoleAccess access,
      ConsoleCsrf csrf,
      boolean actionsRegistered) {
    this.properties = properties;
    this.access = access;
    this.csrf = csrf;
    this.actionsRegistered = actionsRegistered;
  }

  String base() {
    return properties.basePath();
  }

  ConsoleAccess access() {
    return access;
  }

  ConsoleCsrf csrf() {
    return csrf;
  }

  /** Whether the current user gets action buttons: actions registered and the role held. */
  boolean mayAct() {
    return actionsRegistered && access.mayAct();
  }

  void populate(Model model, HttpServletRequest request, String page) {
    boolean mayAct = mayAct();
    model.addAttribute("base", base());
    model.addAttribute("page", page);
    model.addAttribute("refreshMs", properties.getRefreshInterval().toMillis());
    model.addAttribute("mayAct", mayAct);
    model.addAttribute("readOnly", properties.isReadOnly());
    model.addAttribute("actionsRegistered", actionsRegistered);
    if (mayAct) {
      model.addAttribute("csrf", csrf.token(request));
    }
    model.addAttribute("fmt", new Formats());
    model.addAttribute("here", here(request));
  }

  /**
   * The current page's path and query without the {@code live} parameter (nor the {@code continue}
   * that Spring Security adds after a login), to come back to.
   */
  static String here(HttpServletRequest request) {
    String uri = request.getRequestURI().substring(request.getContextPath().length());
    String query = request.getQueryString();
    if (query == null || query.isEmpty()) {
      return uri;
    }
    StringBuilder kept = new StringBuilder();
    for (String part : query.split("&")) {
      if (!part.isEmpty()
          && !part.equals("live")
          && !part.startsWith("live=")
          && !part.equals("continue")) { // Spring Security's mark on a page it returned to
        kept.append(kept.length() == 0 ? "?" : "&").append(part);
      }
    }
    return uri + kept;
  }

  /** Whether the request asks for the live fragment only. */
  static boolean live(HttpServletRequest request) {
    String v = request.getParameter("live");
    return v != null && !v.isEmpty() && !v.toLowerCase(Locale.ROOT).equals("false");
  }
}
