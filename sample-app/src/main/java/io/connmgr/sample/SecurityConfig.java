package io.connmgr.sample;

import static org.springframework.security.config.Customizer.withDefaults;

import io.connmgr.console.ConsoleProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Who may do what: swarm peers authenticate their {@code /p2p} handshake with HTTP Basic and a
 * per-peer token ({@link SwarmTokens}), so the starter's identity resolver names them by their
 * principal, a verified id that the static peers' pins apply to; a client without a token may still
 * connect, named by the {@code ?peer=} it claims as an unverified id that no pin covers and every
 * cap limits. Health is public; the console is for the admin (role {@code CONNMGR_ADMIN}, who may
 * act) and the viewer (role {@code CONNMGR_VIEWER}, who may only look); the other actuator
 * endpoints and everything else need the admin. Browsers log in with the console's login page,
 * scripts with HTTP Basic. CSRF protection stays on for browser sessions, so the console's actions
 * carry a token; a request that authenticates in its {@code Authorization} header and has no
 * session cookie is exempt, so {@code curl -u admin:PASS -X POST .../actuator/connmgr} works.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

  /** The root of the node sends a browser to the console. */
  @Bean
  WebMvcConfigurer rootToConsole(ConsoleProperties console) {
    return new WebMvcConfigurer() {
      @Override
      public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/", console.getPath());
      }
    };
  }

  @Bean
  Credentials adminCredentials(SampleProperties properties) {
    return Credentials.from(properties.admin().username(), properties.admin().password());
  }

  @Bean
  Credentials viewerCredentials(SampleProperties properties) {
    return Credentials.from(properties.viewer().username(), properties.viewer().password());
  }

  @Bean
  PasswordEncoder passwordEncoder() {
    return PasswordEncoderFactories.createDelegatingPasswordEncoder();
  }

  @Bean
  UserDetailsService users(
      Credentials adminCredentials, Credentials viewerCredentials, PasswordEncoder encoder) {
    return new InMemoryUserDetailsManager(
        User.withUsername(adminCredentials.username())
            .password(encoder.encode(adminCredentials.password()))
            .roles(Credentials.ROLE)
            .build(),
        User.withUsername(viewerCredentials.username())
            .password(encoder.encode(viewerCredentials.password()))
            .roles(Credentials.VIEWER_ROLE)
            .build());
  }

  @Bean
  SwarmTokens swarmTokens() {
    return SwarmTokens.random();
  }

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http,
      ConsoleProperties console,
      UserDetailsService users,
      PasswordEncoder encoder,
      SwarmTokens tokens)
      throws Exception {
    DaoAuthenticationProvider admins = new DaoAuthenticationProvider(users);
    admins.setPasswordEncoder(encoder);
    http.authenticationManager(
            new ProviderManager(new SwarmPeerAuthenticationProvider(tokens), admins))
        .authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(NodeWebSocketConfig.PATH)
                    .permitAll()
                    .requestMatchers(EndpointRequest.to("health"))
                    .permitAll()
                    .requestMatchers("/error", console.getPath() + "/assets/**")
                    .permitAll()
                    .requestMatchers(console.getPath(), console.getPath() + "/**")
                    .hasAnyRole(Credentials.ROLE, Credentials.VIEWER_ROLE)
                    .anyRequest()
                    .hasRole(Credentials.ROLE))
        // the console's own login page, styled like the console; it posts back to the same path
        .formLogin(
            form ->
                form.loginPage(console.getPath() + "/login")
                    .permitAll()
                    .defaultSuccessUrl(console.getPath()))
        .httpBasic(withDefaults())
        // a script that authenticates in the Authorization header and carries no session
        // cookie cannot be forged by another site: no CSRF token for it (curl -u admin:...);
        // browser sessions keep CSRF protection
        .csrf(
            csrf ->
                csrf.ignoringRequestMatchers(
                    request ->
                        request.getHeader(HttpHeaders.AUTHORIZATION) != null
                            && request.getRequestedSessionId() == null));
    return http.build();
  }
}
