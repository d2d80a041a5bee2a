package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.PeerId;
import io.connmgr.TrimReport;
import io.connmgr.audit.ActionSource;
import io.connmgr.audit.AuditEntry;
import io.connmgr.audit.Operator;
import io.connmgr.audit.OperatorAction;
import io.connmgr.audit.OperatorActions;
import io.connmgr.inspect.ConnectionSnapshot;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The console's write side: pin, unpin, evict (after a confirmation page) and trim. Registered only
 * when actions are available, never with {@code connmgr.console.read-only=true}. Every POST must
 * carry the console's session token (and Spring Security's CSRF token when its filter is on);
 * invalid input is a 400 that changes nothing; each result comes back as a flash message. Every
 * action goes through {@link OperatorActions}, so it is on the audit trail with the user's name;
 * one refused before it ran (no role, already pinned, not pinned) is on record too ({@link
 * ConsoleRefusals}).
 */
@Controller
@RequestMapping("${connmgr.console.path:/connmgr}")
final class ConsoleActionController {

  static final int MAX_REASON = 200;

  /** The largest form body an action takes, in bytes: ids, a reason and two tokens fit. */
  static final int MAX_FORM_BYTES = 16 * 1024;

  private final ConnectionManager manager;
  private final OperatorActions actions;
  private final ConsoleData data;
  private final ConsolePages pages;
  private final EvictionArchive archive;
  private final ConsoleRefusals refusals;

  ConsoleActionController(
      ConnectionManager manager,
      OperatorActions actions,
      ConsoleData data,
      ConsolePages pages,
      EvictionArchive archive,
      ConsoleRefusals refusals) {
    this.manager = manager;
    this.actions = actions;
    this.data = data;
    this.pages = pages;
    this.archive = archive;
    this.refusals = refusals;
  }

  /** The confirmation step before an eviction. */
  @GetMapping("/evict")
  public String confirmEviction(
      @RequestParam(name = "id", required = false) @Nullable String id,
      @RequestParam(name = "return", required = false) @Nullable String back,
      HttpServletRequest request,
      Model model,
      RedirectAttributes flash) {
    long connectionId = connectionId(id);
    Optional<ConnectionSnapshot> conn = data.view().connection(connectionId);
    if (conn.isEmpty()) {
      conn = data.refreshed().connection(connectionId); // it may have opened since
    }
    if (conn.isEmpty()) {
      flash.addFlashAttribute("flash", gone(connectionId) + " Nothing was evicted.");
      flash.addFlashAttribute("flashKind", "warning");
      return redirect(back);
    }
    pages.populate(model, request, "evict");
    model.addAttribute("conn", conn.get());
    model.addAttribute("score", data.view().scoreFor(connectionId));
    model.addAttribute("returnTo", returnTo(back));
    return "connmgr/evict";
  }

  /**
   * Pins a peer, connected or not. From a row of the connections table the form also names the
   * row's connection: if that has closed meanwhile, the message says so (the pin still protects the
   * peer's other and future connections).
   */
  @PostMapping("/pin")
  public String pin(
      @RequestParam(name = "peer", required = false) @Nullable String peer,
      @RequestParam(name = "connection", required = false) @Nullable String connection,
      @RequestParam(name = "return", required = false) @Nullable String back,
      HttpServletRequest request,
      RedirectAttributes flash) {
    guard(request);
    PeerId id = ConsoleViewController.peerId(peer);
    Long row = connection == null || connection.isEmpty() ? null : connectionId(connection);
    if (manager.isProtected(id, ConnectionManager.PIN_TAG)) {
      refusals.refused(OperatorAction.PIN, id.value(), "already pinned");
      flash.addFlashAttribute("flash", "Peer " + id + " was already pinned; nothing changed.");
      return redirect(back);
    }
    try {
      actions.pin(operator(), id); // refuses (on record) an unverified id
    } catch (IllegalArgumentException e) {
      throw ConsoleInputException.badRequest(String.valueOf(e.getMessage()));
    } catch (IllegalStateException e) { // refuses (on record) a pin past the pins file's limit
      throw ConsoleInputException.conflict(String.valueOf(e.getMessage()));
    }
    data.invalidate();
    Set<Long> open =
        manager.inspect().tagInfo(id).map(t -> t.connections().keySet()).orElse(Set.of());
    String message =
        "Pinned "
            + id
            + (open.isEmpty() ? " (not connected now; the pin applies when it connects)." : ".");
    if (row != null && !open.contains(row)) {
      message = gone(row) + " " + message;
      flash.addFlashAttribute("flashKind", "warning");
    }
    flash.addFlashAttribute("flash", message);
    return redirect(back);
  }

  @PostMapping("/unpin")
  public String unpin(
      @RequestParam(name = "peer", required = false) @Nullable String peer,
      @RequestParam(name = "return", required = false) @Nullable String back,
      HttpServletRequest request,
      RedirectAttributes flash) {
    guard(request);
    PeerId id = ConsoleViewController.peerId(peer);
    if (!manager.isProtected(id, ConnectionManager.PIN_TAG)) {
      refusals.refused(OperatorAction.UNPIN, id.value(), "not pinned");
      throw ConsoleInputException.badRequest("peer '" + id + "' is not pinned");
    }
    boolean still = actions.unpin(operator(), id);
    data.invalidate();
    flash.addFlashAttribute(
        "flash", "Unpinned " + id + (still ? "; other tags still protect it." : "."));
    String to = returnTo(back);
    boolean peerPage = to.startsWith(pages.base() + "/peer?");
    if (peerPage
        && manager.inspect().tagInfo(id).isEmpty()
        && archive.all().stream().noneMatch(r -> r.peer().equals(id))) {
      return "redirect:" + pages.base() + "/pins"; // its peer page no longer has anything to show
    }
    return "redirect:" + to;
  }

  @PostMapping("/evict")
  public String evict(
      @RequestParam(name = "id", required = false) @Nullable String id,
      @RequestParam(name = "confirm", required = false) @Nullable String confirm,
      @RequestParam(name = "reason", required = false) @Nullable String reason,
      @RequestParam(name = "return", required = false) @Nullable String back,
      HttpServletRequest request,
      RedirectAttributes flash) {
    guard(request);
    long connectionId = connectionId(id);
    if (!"true".equals(confirm)) {
      throw ConsoleInputException.badRequest(
          "an eviction must be confirmed (confirm=true): use the confirmation page");
    }
    String why = reason(reason);
    if (!actions.evict(operator(), connectionId, why)) {
      data.invalidate();
      flash.addFlashAttribute(
          "flash",
          gone(connectionId)
              + " Nothing was evicted (if it is still listed, its transport refused to close it).");
      flash.addFlashAttribute("flashKind", "warning");
      return redirect(back);
    }
    data.invalidate();
    flash.addFlashAttribute("flash", "Evicted connection " + connectionId + ": " + why + ".");
    return redirect(back);
  }

  @PostMapping("/trim")
  public String trim(
      @RequestParam(name = "return", required = false) @Nullable String back,
      HttpServletRequest request,
      RedirectAttributes flash) {
    guard(request);
    TrimReport report = actions.trim(operator());
    data.invalidate();
    flash.addFlashAttribute("flash", "Trim: " + report.summary() + ".");
    return redirect(back);
  }

  private Operator operator() {
    return new Operator(pages.access().who(), ActionSource.CONSOLE);
  }

  /** Says that a connection has gone, and how, as far as the console knows. */
  private String gone(long connectionId) {
    return archive
        .find(connectionId)
        .map(
            r ->
                "Connection "
                    + connectionId
                    + " (peer "
                    + r.peer()
                    + ") has gone: "
                    + Format.trigger(r.trigger())
                    + " eviction at "
                    + Format.instant(r.at())
                    + ", "
                    + r.reason()
                    + ".")
        .orElse(
            "Connection "
                + connectionId
                + " is not open: it has gone (closed by its "
                + "transport or evicted) or never existed.");
  }

  private void guard(HttpServletRequest request) {
    pages.access().checkAct();
    pages.csrf().verify(request);
  }

  private String reason(@Nullable String reason) {
    String who = pages.access().who();
    String base = who.isEmpty() ? "evicted from the console" : "evicted from the console by " + who;
    if (reason == null || reason.isBlank()) {
      return base;
    }
    String r = reason.strip();
    if (r.length() > MAX_REASON || r.codePoints().anyMatch(AuditEntry::hidden)) {
      throw ConsoleInputException.badRequest(
          "reason must be at most " + MAX_REASON + " printable characters");
    }
    return base + ": " + r;
  }

  static long connectionId(@Nullable String id) {
    if (id == null || id.isEmpty()) {
      throw ConsoleInputException.badRequest("a connection id is required");
    }
    if (id.length() > 18 || !id.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
      throw ConsoleInputException.badRequest("not a valid connection id: it is a positive number");
    }
    long value = Long.parseLong(id);
    if (value <= 0) {
      throw ConsoleInputException.badRequest("not a valid connection id: it is a positive number");
    }
    return value;
  }

  private String redirect(@Nullable String back) {
    return "redirect:" + returnTo(back);
  }

  /** A path inside the console to go back to; anything else goes to the overview. */
  private String returnTo(@Nullable String back) {
    String base = pages.base();
    if (back == null || back.length() > 2048) {
      return base;
    }
    boolean inside =
        back.equals(base) || back.startsWith(base + "/") || back.startsWith(base + "?");
    boolean safe =
        !back.contains("//")
            && !back.contains("\\")
            && !back.contains("..")
            && !back.contains("{")
            && !back.contains("}")
            && back.chars().noneMatch(Character::isISOControl);
    return inside && safe ? back : base;
  }
}
