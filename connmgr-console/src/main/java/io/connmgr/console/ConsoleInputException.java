package io.connmgr.console;

import org.springframework.http.HttpStatus;

/** Input the console refuses, with the status and a message for the operator; nothing changed. */
final class ConsoleInputException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;

  private ConsoleInputException(HttpStatus status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  static ConsoleInputException badRequest(String message) {
    return new ConsoleInputException(HttpStatus.BAD_REQUEST, message);
  }

  static ConsoleInputException notFound(String message) {
    return new ConsoleInputException(HttpStatus.NOT_FOUND, message);
  }

  static ConsoleInputException conflict(String message) {
    return new ConsoleInputException(HttpStatus.CONFLICT, message);
  }

  static ConsoleInputException forbidden(String message) {
    return new ConsoleInputException(HttpStatus.FORBIDDEN, message);
  }

  HttpStatus status() {
    return status;
  }
}
