package dev.muelle.engine.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A short-lived directory under /tmp that holds one engine's socket, data root and exec root.
 *
 * <p>The path is kept short on purpose: unix socket paths must fit in 108 bytes, and runc and
 * conmon put their own sockets below the exec root. {@link #destroy} undoes everything an engine
 * may leave there after a crash: processes whose command line or runc state names the directory
 * are killed, mounts below it are detached, and the tree is deleted.
 */
final class ScratchDir {

  private final Path path;

  private ScratchDir(Path path) {
    this.path = path;
  }

  static ScratchDir create(String prefix) {
    try {
      return new ScratchDir(Files.createTempDirectory(Path.of("/tmp"), prefix));
    } catch (IOException e) {
      throw new IllegalStateException("cannot create a scratch directory under /tmp", e);
    }
  }

  Path path() {
    return path;
  }

  Path resolve(String name) {
    return path.resolve(name);
  }

  /** Kill what still runs from this directory, unmount what is mounted below it, delete it. */
  void destroy() {
    killContainerInits();
    killProcessesNamingThisDir();
    unmountAllBelow();
    deleteTree();
  }

  /** runc keeps a state.json per container; its init pid is the container's main process. */
  private void killContainerInits() {
    try (Stream<Path> files = Files.walk(path)) {
      files.filter(p -> p.getFileName().toString().equals("state.json"))
          .forEach(state -> initPid(state)
              .ifPresent(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly)));
    } catch (IOException | RuntimeException e) {
      // The tree may change under us while an engine shuts down; what is left is handled below.
    }
  }

  private static final Pattern INIT_PID = Pattern.compile("\"init_process_pid\"\\s*:\\s*(\\d+)");
  private static final Pattern OCTAL_ESCAPE = Pattern.compile("\\\\([0-7]{3})");

  private static OptionalLong initPid(Path state) {
    try {
      String json = Files.readString(state);
      Matcher m = INIT_PID.matcher(json);
      return m.find() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    } catch (IOException e) {
      return OptionalLong.empty();
    }
  }

  /** Monitors (conmon, containerd-shim) and engine children carry this directory in their argv. */
  private void killProcessesNamingThisDir() {
    String needle = path.toString() + "/";
    long self = ProcessHandle.current().pid();
    List<ProcessHandle> victims = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path proc : procs) {
        long pid = Long.parseLong(proc.getFileName().toString());
        if (pid == self) {
          continue;
        }
        try {
          String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
              .replace('\0', ' ');
          if ((cmdline + "/").contains(needle)) {
            ProcessHandle.of(pid).ifPresent(victims::add);
          }
        } catch (IOException e) {
          // The process exited while we looked.
        }
      }
    } catch (IOException e) {
      return;
    }
    // A monitor is the subreaper of its container's processes: end those first, wherever the
    // engine keeps its runc state.
    victims.forEach(victim -> victim.descendants().forEach(ProcessHandle::destroyForcibly));
    victims.forEach(ProcessHandle::destroyForcibly);
    for (ProcessHandle victim : victims) {
      try {
        victim.onExit().get(5, TimeUnit.SECONDS);
      } catch (Exception e) {
        // Zombies of other parents cannot be reaped here; they hold no mounts.
      }
    }
  }

  private void unmountAllBelow() {
    for (int round = 0; round < 3; round++) {
      List<String> mounts = mountPointsBelow();
      if (mounts.isEmpty()) {
        return;
      }
      mounts.sort(Comparator.comparingInt(String::length).reversed());
      for (String mount : mounts) {
        run("umount", "-l", mount);
      }
    }
  }

  private List<String> mountPointsBelow() {
    List<String> below = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
        String mountPoint = unescapeMountInfo(line.split(" ")[4]);
        if (mountPoint.startsWith(path + "/") || mountPoint.equals(path.toString())) {
          below.add(mountPoint);
        }
      }
    } catch (IOException e) {
      // Without mountinfo there is nothing to unmount that we could name.
    }
    return below;
  }

  /** mountinfo escapes space, tab, newline and backslash as three-digit octal. */
  private static String unescapeMountInfo(String field) {
    Matcher m = OCTAL_ESCAPE.matcher(field);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      char c = (char) Integer.parseInt(m.group(1), 8);
      m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(c)));
    }
    m.appendTail(out);
    return out.toString();
  }

  private void deleteTree() {
    if (!Files.exists(path)) {
      return;
    }
    try {
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException exc) {
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // Files of immutable or busy kinds (e.g. a still-mounted dir) fall back to rm, which
      // does the same walk but reports nothing we could act on either.
      run("rm", "-rf", "--one-file-system", path.toString());
    }
  }

  private static void run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    } catch (IOException e) {
      // Cleanup is best effort.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
