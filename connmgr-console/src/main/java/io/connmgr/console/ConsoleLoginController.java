package io.connmgr.console;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * The console-styled login form at {@code <console path>/login}, for Spring Security's form login
 * ({@code formLogin(form -> form.loginPage("/connmgr/login").permitAll())}): it posts the user name
 * and password back to the same path, where Spring Security's filter takes them. Anyone may see it.
 */
@Controller
@RequestMapping("${connmgr.console.path:/connmgr}")
final class ConsoleLoginController {

  static final String PATH = "/login";

  private final ConsoleProperties properties;

  ConsoleLoginController(ConsoleProperties properties) {
    this.properties = properties;
  }

  @GetMapping(PATH)
  public String login(
      @RequestParam(name = "error", required = false) @Nullable String error,
      @RequestParam(name = "logout", required = false) @Nullable String logout,
      Model model) {
    model.addAttribute("base", properties.basePath());
    model.addAttribute("page", "login");
    model.addAttribute("failed", error != null);
    model.addAttribute("loggedOut", logout != null);
    return "connmgr/login";
  }
}
