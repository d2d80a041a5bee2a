package io.connmgr.web;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Refuses a request body larger than a limit with 413 before anything reads it: by its declared
 * length, or, for a body without one (chunked), after reading at most one byte past the limit. A
 * form without a length gets 411, since the container parses forms from its own stream. Each
 * refusal is one WARN line, without a stack trace, naming the request and the sizes; the body is
 * never parsed and nothing runs. Requests without a body pass untouched.
 */
public final class RequestBodyLimitFilter implements Filter {

  private static final Log LOG = LogFactory.getLog(RequestBodyLimitFilter.class);
  private static final Set<String> BODILESS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  private final int limit;

  /**
   * A filter allowing bodies of at most {@code limit} bytes.
   *
   * @throws IllegalArgumentException if the limit is negative
   */
  public RequestBodyLimitFilter(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative, was " + limit);
    }
    this.limit = limit;
  }

  /** The largest body allowed, in bytes. */
  public int limit() {
    return limit;
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
      throws IOException, ServletException {
    if (!(req instanceof HttpServletRequest request)
        || !(res instanceof HttpServletResponse response)
        || BODILESS.contains(request.getMethod())) {
      chain.doFilter(req, res);
      return;
    }
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      refuse(request, response, 413, declared + " bytes declared");
      return;
    }
    if (declared >= 0) {
      chain.doFilter(request, response);
      return;
    }
    if (isForm(request.getContentType())) {
      // the container parses form parameters from its own stream, which a wrapper cannot feed
      refuse(request, response, 411, "a form sent without a length");
      return;
    }
    byte[] body = request.getInputStream().readNBytes(limit + 1);
    if (body.length > limit) {
      refuse(request, response, 413, "more than " + limit + " bytes sent without a length");
      return;
    }
    chain.doFilter(new ReadBody(request, body), response);
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, int status, String body)
      throws IOException {
    LOG.warn(
        "Refused "
            + request.getMethod()
            + " "
            + printable(request.getRequestURI())
            + " from "
            + request.getRemoteAddr()
            + " with "
            + status
            + ": body of "
            + body
            + ", limit "
            + limit
            + " bytes");
    response.setStatus(status);
    response.setHeader("Connection", "close");
    response.setContentType("application/json");
    response.setCharacterEncoding("UTF-8");
    response
        .getWriter()
        .write(
            "{\"status\":"
                + status
                + ",\"error\":\""
                + (status == 411 ? "Length Required" : "Content Too Large")
                + "\",\"message\":"
                + "\"request bodies here are limited to "
                + limit
                + " bytes and need a length\"}");
  }

  private static boolean isForm(@Nullable String contentType) {
    String type = contentType == null ? "" : contentType.toLowerCase(java.util.Locale.ROOT);
    return type.startsWith("application/x-www-form-urlencoded")
        || type.startsWith("multipart/form-data");
  }

  private static String printable(String text) {
    String cut = text.length() > 200 ? text.substring(0, 200) + "..." : text;
    return cut.codePoints()
        .map(cp -> Character.isISOControl(cp) ? '?' : cp)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }

  /** The request with its body read already, served from memory. */
  private static final class ReadBody extends HttpServletRequestWrapper {

    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      return new BufferedReader(
          new InputStreamReader(
              getInputStream(),
              encoding == null
                  ? StandardCharsets.UTF_8
                  : java.nio.charset.Charset.forName(encoding)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
