package dev.muelle.engine.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A command running in the background whose output a test waits for, expect-style.
 *
 * <p>Output is collected as it arrives. {@link #expect} looks only at output after the previous
 * match, so a later expectation cannot be satisfied by text that was already seen (for example
 * the echo of a command line that contains the expected text).
 */
public class RunningCommand implements AutoCloseable {

  private final Process process;
  private final String description;
  private final StringBuilder output = new StringBuilder();
  private int cursor;

  RunningCommand(Process process, String description) {
    this.process = process;
    this.description = description;
    Thread reader = new Thread(() -> pump(process.getInputStream()), "output of " + description);
    reader.setDaemon(true);
    reader.start();
  }

  private void pump(InputStream in) {
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        synchronized (output) {
          output.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
          output.notifyAll();
        }
      }
    } catch (IOException e) {
      // The process ended; what was read stays available.
    }
  }

  /**
   * Wait until {@code text} appears in the output after the previous match; returns the output
   * from the previous match up to and including this one. Fails the test on timeout.
   */
  public String expect(String text, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    synchronized (output) {
      while (true) {
        int at = output.indexOf(text, cursor);
        if (at >= 0) {
          String seen = output.substring(cursor, at + text.length());
          cursor = at + text.length();
          return seen;
        }
        long left = Duration.between(Instant.now(), deadline).toMillis();
        if (left <= 0) {
          throw new AssertionError("did not see \"" + text + "\" within " + timeout.toSeconds()
              + " s from " + description + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")")
              + "\n--- output since last match ---\n" + output.substring(cursor));
        }
        try {
          output.wait(Math.min(left, 200));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  /** Everything the command printed so far. */
  public String output() {
    synchronized (output) {
      return output.toString();
    }
  }

  /** Write text to the command's input as UTF-8. */
  public void send(String text) {
    sendBytes(text.getBytes(StandardCharsets.UTF_8));
  }

  public void sendBytes(byte... bytes) {
    try {
      OutputStream in = process.getOutputStream();
      in.write(bytes);
      in.flush();
    } catch (IOException e) {
      throw new AssertionError("cannot write to " + description + ": " + e.getMessage()
          + "\n--- output ---\n" + output(), e);
    }
  }

  /** Close the command's input: it reads end of file. */
  public void closeInput() {
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      throw new AssertionError("cannot close the input of " + description + ": " + e.getMessage(), e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Wait for the command to exit; returns its exit code or fails the test on timeout. */
  public int awaitExit(Duration timeout) {
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(description + " still runs after " + timeout.toSeconds()
            + " s\n--- output ---\n" + output());
      }
      return process.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Kill the command and everything it started. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
