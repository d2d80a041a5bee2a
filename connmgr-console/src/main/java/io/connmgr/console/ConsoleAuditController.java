package io.connmgr.console;

import io.connmgr.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The console's audit page: every operator action on record (pin, unpin, evict, trim, from the
 * console, the actuator endpoint or the application), newest first, with who, from where, when and
 * the outcome. Viewing it needs the viewer role, as every page does.
 */
@Controller
@RequestMapping("${connmgr.console.path:/connmgr}")
final class ConsoleAuditController {

  private final AuditTrail trail;
  private final ConsolePages pages;

  ConsoleAuditController(AuditTrail trail, ConsolePages pages) {
    this.trail = trail;
    this.pages = pages;
  }

  @GetMapping("/audit")
  public String audit(HttpServletRequest request, Model model) {
    pages.populate(model, request, "audit");
    model.addAttribute("entries", trail.entries());
    model.addAttribute("auditSize", trail.size());
    return ConsolePages.live(request) ? "connmgr/audit :: live" : "connmgr/audit";
  }
}
