package io.connmgr.console;

import io.connmgr.ConnectionManager;
import io.connmgr.audit.AuditTrail;
import io.connmgr.audit.OperatorActions;
import io.connmgr.autoconfigure.ConnmgrProperties;
import io.connmgr.autoconfigure.PinsFile;
import io.connmgr.web.RequestBodyLimitFilter;
import java.time.Duration;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.CacheControl;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.thymeleaf.spring6.templateresolver.SpringResourceTemplateResolver;
import org.thymeleaf.templatemode.TemplateMode;

/**
 * Serves the connmgr console under {@code connmgr.console.path} when the application has a {@link
 * ConnectionManager} bean and is a servlet web application. Every controller is a bean declared
 * here (nothing is component-scanned); the action controller exists only when actions are available
 * (see {@link ConsoleProperties#isReadOnly()} and {@link ConsoleProperties#isActionsEnabled()});
 * with Spring Security on the classpath, roles decide who may view and who may act, and the console
 * brings its own login page.
 */
@AutoConfiguration(
    afterName = {
      "io.connmgr.autoconfigure.ConnmgrAutoConfiguration",
      "io.connmgr.autoconfigure.ConnmgrOperatorAutoConfiguration",
      "org.springframework.boot.thymeleaf.autoconfigure.ThymeleafAutoConfiguration"
    },
    beforeName =
        "org.springframework.boot.security.autoconfigure.web.servlet"
            + ".ServletWebSecurityAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SpringResourceTemplateResolver.class)
@ConditionalOnBean({ConnectionManager.class, OperatorActions.class})
@ConditionalOnBooleanProperty(name = "connmgr.console.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ConsoleProperties.class)
public final class ConsoleAutoConfiguration {

  private static final Pattern PATH = Pattern.compile("/[A-Za-z0-9._~\\-]+(/[A-Za-z0-9._~\\-]+)*");

  @Bean
  ConsoleData connmgrConsoleData(ConnectionManager manager, ConsoleProperties properties) {
    properties.check();
    return new ConsoleData(manager, properties.getCacheTtl());
  }

  @Bean
  ConsoleRecorder connmgrConsoleRecorder(ConnectionManager manager, ConsoleProperties properties) {
    properties.check();
    return new ConsoleRecorder(
        manager, properties.getSampleInterval(), properties.getChartWindow());
  }

  @Bean
  EvictionArchive connmgrConsoleEvictionArchive(
      ConnectionManager manager, ConsoleProperties properties) {
    properties.check();
    return new EvictionArchive(manager, properties.getEvictionsKept());
  }

  @Bean
  ProtectionSources connmgrConsoleProtectionSources(
      ConnectionManager manager,
      ObjectProvider<ConnmgrProperties> starter,
      ObjectProvider<PinsFile> pinsFile,
      ObjectProvider<AuditTrail> audit) {
    ConnmgrProperties settings = starter.getIfAvailable();
    // resolving the pins file first means its pins are in before the console looks
    boolean restored = pinsFile.getIfAvailable() != null;
    return new ProtectionSources(
        manager,
        settings == null ? Set.of() : Set.copyOf(settings.staticPeerIds()),
        restored,
        audit.getIfAvailable());
  }

  @Bean
  ConsoleCsrf connmgrConsoleCsrf() {
    return new ConsoleCsrf();
  }

  @Bean
  ConsolePages connmgrConsolePages(
      ConsoleProperties properties,
      ConsoleAccess access,
      ConsoleCsrf csrf,
      ListableBeanFactory beans) {
    String path = properties.getPath();
    if (!PATH.matcher(path).matches()) {
      throw new IllegalStateException(
          "connmgr.console.path must be a path such as /connmgr "
              + "(a leading slash, no trailing slash, letters, digits, '.', '_', '~', '-'), was '"
              + path
              + "'");
    }
    properties.check();
    boolean actions =
        beans.getBeanNamesForType(ConsoleActionController.class, false, false).length > 0;
    return new ConsolePages(properties, access, csrf, actions);
  }

  @Bean
  ConsoleViewController connmgrConsoleViewController(
      ConnectionManager manager,
      ConsoleData data,
      ConsoleRecorder recorder,
      ConsolePages pages,
      ConsoleProperties properties,
      EvictionArchive archive,
      ProtectionSources sources) {
    return new ConsoleViewController(manager, data, recorder, pages, properties, archive, sources);
  }

  @Bean
  ConsoleAuditController connmgrConsoleAuditController(
      OperatorActions actions, ConsolePages pages) {
    return new ConsoleAuditController(actions.trail(), pages);
  }

  @Bean
  ConsoleErrorAdvice connmgrConsoleErrorAdvice(ConsolePages pages) {
    return new ConsoleErrorAdvice(pages);
  }

  @Bean
  SpringResourceTemplateResolver connmgrConsoleTemplateResolver(ApplicationContext context) {
    SpringResourceTemplateResolver resolver = new SpringResourceTemplateResolver();
    resolver.setApplicationContext(context);
    resolver.setPrefix("classpath:/connmgr-console/templates/");
    resolver.setSuffix(".html");
    resolver.setTemplateMode(TemplateMode.HTML);
    resolver.setCharacterEncoding("UTF-8");
    resolver.setResolvablePatterns(Set.of("connmgr/*"));
    resolver.setCheckExistence(true);
    resolver.setCacheable(true);
    resolver.setOrder(0);
    return resolver;
  }

  /**
   * The console's forms are small; a larger body gets 413 before Spring Security's CSRF check or
   * anything else parses it (a 3 MB form post would otherwise fail inside the container).
   */
  @Bean
  FilterRegistrationBean<RequestBodyLimitFilter> connmgrConsoleBodyLimit(
      ConsoleProperties properties) {
    FilterRegistrationBean<RequestBodyLimitFilter> registration =
        new FilterRegistrationBean<>(
            new RequestBodyLimitFilter(ConsoleActionController.MAX_FORM_BYTES));
    registration.setName("connmgrConsoleBodyLimit");
    registration.addUrlPatterns(properties.basePath() + "/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 20); // before any security filter
    return registration;
  }

  /** Every console response forbids framing, before any security filter runs. */
  @Bean
  FilterRegistrationBean<ConsoleFramingFilter> connmgrConsoleFraming(ConsoleProperties properties) {
    FilterRegistrationBean<ConsoleFramingFilter> registration =
        new FilterRegistrationBean<>(new ConsoleFramingFilter());
    registration.setName("connmgrConsoleFraming");
    registration.addUrlPatterns(properties.basePath() + "/*");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
    return registration;
  }

  @Bean
  ConsoleRefusals connmgrConsoleRefusals(OperatorActions actions, ConsoleAccess access) {
    return new ConsoleRefusals(actions, access);
  }

  @Bean
  WebMvcConfigurer connmgrConsoleWebMvcConfigurer(
      ConsoleProperties properties, ConsoleAccess access, ConsoleRefusals refusals) {
    String base = properties.getPath();
    return new WebMvcConfigurer() {
      @Override
      public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry
            .addResourceHandler(base + "/assets/**")
            .addResourceLocations("classpath:/connmgr-console/static/")
            .setCacheControl(CacheControl.maxAge(Duration.ofHours(1)));
      }

      @Override
      public void addInterceptors(InterceptorRegistry registry) {
        registry
            .addInterceptor(new ConsoleAccessInterceptor(access, refusals))
            .addPathPatterns(base, base + "/**");
      }
    };
  }

  /** Actions, when not read-only and either Spring Security is present or they are enabled. */
  @Configuration(proxyBeanMethods = false)
  @Conditional(ConsoleActionsCondition.class)
  static class ActionsConfiguration {

    @Bean
    ConsoleActionController connmgrConsoleActionController(
        ConnectionManager manager,
        OperatorActions actions,
        ConsoleData data,
        ConsolePages pages,
        EvictionArchive archive,
        ConsoleRefusals refusals) {
      return new ConsoleActionController(manager, actions, data, pages, archive, refusals);
    }
  }

  /** With Spring Security: roles decide who may view and act. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = ConsoleActionsCondition.SECURITY_CLASS)
  static class SecurityAccessConfiguration {

    @Bean
    ConsoleAccess connmgrConsoleAccess(ConsoleProperties properties) {
      return new RoleAccess(properties.getRole(), properties.getViewerRole());
    }

    @Bean
    ConsoleLoginController connmgrConsoleLoginController(ConsoleProperties properties) {
      return new ConsoleLoginController(properties);
    }
  }

  /**
   * With Spring Security and no security chain of the application's own: Spring Boot's default
   * rules (every request authenticated, a login form, HTTP Basic), with the console's login page in
   * place of Spring's unbranded one. An application that declares a {@code SecurityFilterChain}
   * keeps its own rules and login, and this backs off.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(
      name = {
        ConsoleActionsCondition.SECURITY_CLASS,
        "org.springframework.security.config.annotation.web.builders.HttpSecurity",
        "org.springframework.boot.security.autoconfigure.web.servlet"
            + ".ConditionalOnDefaultWebSecurity"
      })
  @ConditionalOnDefaultWebSecurity
  static class LoginConfiguration {

    @Bean
    SecurityFilterChain connmgrConsoleSecurityFilterChain(
        HttpSecurity http, ConsoleProperties properties) throws Exception {
      String base = properties.basePath();
      http.authorizeHttpRequests(
              requests ->
                  requests
                      .requestMatchers(base + "/assets/**", "/error")
                      .permitAll()
                      .anyRequest()
                      .authenticated())
          .formLogin(form -> form.loginPage(base + ConsoleLoginController.PATH).permitAll())
          .httpBasic(Customizer.withDefaults());
      return http.build();
    }
  }

  /** Without Spring Security: whoever reaches the console may view it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass(ConsoleActionsCondition.SECURITY_CLASS)
  static class OpenAccessConfiguration {

    @Bean
    ConsoleAccess connmgrConsoleAccess() {
      return ConsoleAccess.OPEN;
    }
  }
}
