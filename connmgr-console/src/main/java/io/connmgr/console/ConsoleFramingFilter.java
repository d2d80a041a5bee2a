package io.connmgr.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Forbids every other site to frame a console response ({@code X-Frame-Options: DENY} and {@code
 * Content-Security-Policy: frame-ancestors 'none'}), so a hostile page cannot overlay a console
 * button and lure the operator's click. Set before anything else runs, so refusals, redirects to
 * the login page and errors carry them too, with or without Spring Security.
 */
final class ConsoleFramingFilter extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    response.setHeader("X-Frame-Options", "DENY");
    response.setHeader("Content-Security-Policy", "frame-ancestors 'none'");
    chain.doFilter(request, response);
  }
}
