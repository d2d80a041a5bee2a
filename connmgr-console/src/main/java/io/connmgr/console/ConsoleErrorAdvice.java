package io.connmgr.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;

/** Renders refused console input as a page with its status and message. */
@ControllerAdvice(
    assignableTypes = {
      ConsoleViewController.class,
      ConsoleActionController.class,
      ConsoleAuditController.class
    })
final class ConsoleErrorAdvice {

  private final ConsolePages pages;

  ConsoleErrorAdvice(ConsolePages pages) {
    this.pages = pages;
  }

  @ExceptionHandler(ConsoleInputException.class)
  public String refused(
      ConsoleInputException e,
      HttpServletRequest request,
      HttpServletResponse response,
      Model model) {
    response.setStatus(e.status().value());
    pages.populate(model, request, "error");
    model.addAttribute("status", e.status().value());
    model.addAttribute("reason", e.status().getReasonPhrase());
    model.addAttribute("message", e.getMessage());
    return "connmgr/error";
  }
}
