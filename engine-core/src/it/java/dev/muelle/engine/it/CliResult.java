package dev.muelle.engine.it;

import java.util.List;

/** What one finished {@code docker} command produced. */
public record CliResult(List<String> args, int exitCode, String stdout, String stderr) {

  /** Returns this result, or fails the test with the whole exchange when the exit code is not 0. */
  public CliResult assertSuccess() {
    if (exitCode != 0) {
      throw new AssertionError("expected success but got exit code " + exitCode + "\n" + this);
    }
    return this;
  }

  /** stdout without the trailing newline, for single-value commands like {@code inspect -f}. */
  public String out() {
    return stdout.strip();
  }

  @Override
  public String toString() {
    return "docker " + String.join(" ", args) + "\n  exit: " + exitCode
        + "\n  stdout: " + stdout.strip() + "\n  stderr: " + stderr.strip();
  }
}
