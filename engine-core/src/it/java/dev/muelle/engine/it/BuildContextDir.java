package dev.muelle.engine.it;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A scratch directory holding a build context for the build tests: files are written into it,
 * {@code docker build} runs on it, and {@link #close} deletes it.
 */
final class BuildContextDir implements AutoCloseable {

  static final Duration BUILD_TIMEOUT = Duration.ofMinutes(3);

  private final Path dir;

  private BuildContextDir(Path dir) {
    this.dir = dir;
  }

  static BuildContextDir create() {
    try {
      return new BuildContextDir(Files.createTempDirectory("build-context-it"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Path path() {
    return dir;
  }

  Path resolve(String name) {
    return dir.resolve(name);
  }

  /** Writes {@code text} to {@code name} (relative to the context), making its directories. */
  BuildContextDir write(String name, String text) {
    try {
      Path p = dir.resolve(name);
      Files.createDirectories(p.getParent());
      Files.writeString(p, text);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code docker build ARGS <this context>}. */
  CliResult build(DockerCli docker, String... args) {
    String[] full = new String[args.length + 2];
    full[0] = "build";
    System.arraycopy(args, 0, full, 1, args.length);
    full[full.length - 1] = dir.toString();
    return docker.run(BUILD_TIMEOUT, full);
  }

  /** Writes a tar (gzip-compressed if asked) of name → content, each file mode 0640. */
  static void tar(Path file, boolean gzip, Map<String, String> files) {
    try (OutputStream out = Files.newOutputStream(file);
         OutputStream raw = gzip ? new GZIPOutputStream(out) : out;
         TarArchiveOutputStream tar = new TarArchiveOutputStream(raw)) {
      for (var f : files.entrySet()) {
        byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(f.getKey());
        e.setSize(content.length);
        e.setMode(0640);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
