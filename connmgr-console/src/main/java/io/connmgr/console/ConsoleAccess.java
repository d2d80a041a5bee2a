package io.connmgr.console;

/**
 * Who may view the console and who may act. Without Spring Security everyone who reaches the
 * console may view, and acting depends only on whether actions are registered at all; with it,
 * roles decide (see {@link RoleAccess}).
 */
interface ConsoleAccess {

  /** Everyone may view; actions are guarded by their registration and the session token. */
  ConsoleAccess OPEN =
      new ConsoleAccess() {
        @Override
        public void checkView() {}

        @Override
        public void checkAct() {}

        @Override
        public boolean mayAct() {
          return true;
        }

        @Override
        public String who() {
          return "";
        }
      };

  /** Throws unless the current user may view the console. */
  void checkView();

  /** Throws unless the current user may act. */
  void checkAct();

  /** Whether the current user may act, to decide whether to show buttons. */
  boolean mayAct();

  /** The current user's name for eviction reasons; empty when unknown. */
  String who();
}
