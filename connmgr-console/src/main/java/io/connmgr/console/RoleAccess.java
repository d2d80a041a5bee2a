package io.connmgr.console;

import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Spring Security roles: viewing needs the viewer or the admin role, acting the admin role. A
 * refusal is an {@link AccessDeniedException}, which the application's security chain turns into a
 * login for anonymous users and a 403 for the others.
 */
final class RoleAccess implements ConsoleAccess {

  private final Set<String> viewers;
  private final Set<String> admins;

  RoleAccess(String adminRole, String viewerRole) {
    this.admins = Set.of(authority(adminRole));
    this.viewers = Set.of(authority(adminRole), authority(viewerRole));
  }

  private static String authority(String role) {
    return role.startsWith("ROLE_") ? role : "ROLE_" + role;
  }

  @Override
  public void checkView() {
    if (!has(viewers)) {
      throw new AccessDeniedException(
          "the connmgr console needs the role "
              + String.join(" or ", viewers.stream().sorted().toList()));
    }
  }

  @Override
  public void checkAct() {
    if (!has(admins)) {
      throw new AccessDeniedException(
          "connmgr console actions need the role " + admins.iterator().next());
    }
  }

  @Override
  public boolean mayAct() {
    return has(admins);
  }

  @Override
  public String who() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    return auth == null || auth instanceof AnonymousAuthenticationToken ? "" : auth.getName();
  }

  private static boolean has(Set<String> wanted) {
    @Nullable Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated() || auth instanceof AnonymousAuthenticationToken) {
      return false;
    }
    for (GrantedAuthority a : auth.getAuthorities()) {
      if (wanted.contains(a.getAuthority())) {
        return true;
      }
    }
    return false;
  }
}
