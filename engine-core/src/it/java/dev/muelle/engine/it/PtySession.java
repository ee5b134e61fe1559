package dev.muelle.engine.it;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A command on a real pseudo-terminal, as a user typing in a terminal runs it: used for
 * {@code docker run -it}, {@code docker exec -it} and {@code docker attach}, which put the
 * terminal in raw mode and read detach keys from it.
 *
 * <p>The pty comes from util-linux {@code script}: it allocates one, runs the command on it, and
 * copies our pipe to the pty master, so bytes we send arrive as keystrokes (Ctrl-P is 0x10,
 * Ctrl-Q 0x11). The window is set to 200x50 first because a 0x0 terminal confuses line editors.
 */
public final class PtySession extends RunningCommand {

  /** Docker's default detach sequence, Ctrl-P Ctrl-Q. */
  public static final byte[] DETACH_KEYS = {0x10, 0x11};

  private PtySession(Process process, String description) {
    super(process, description);
  }

  static PtySession open(Map<String, String> environment, List<String> command) {
    String quoted = command.stream().map(PtySession::shellQuote).collect(Collectors.joining(" "));
    ProcessBuilder builder = new ProcessBuilder("script", "--quiet", "--flush", "--return",
        "--command", "stty cols 200 rows 50; exec " + quoted, "/dev/null");
    builder.environment().putAll(environment);
    builder.environment().put("TERM", "xterm");
    builder.redirectErrorStream(true);
    try {
      return new PtySession(builder.start(), String.join(" ", command) + " (on a pty)");
    } catch (IOException e) {
      throw new IllegalStateException("cannot start script(1) for " + quoted, e);
    }
  }

  /** Type a line and press Enter (a terminal sends CR). */
  public void typeLine(String line) {
    send(line + "\r");
  }

  /** Press Ctrl-P Ctrl-Q and wait for the client to exit, leaving the container running. */
  public int detach(Duration timeout) {
    sendBytes(DETACH_KEYS);
    return awaitExit(timeout);
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
