package dev.muelle.engine.build;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.image.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What {@code COPY} and {@code ADD} read and write. Sources are found under a root (the build
 * context, filtered by {@code .dockerignore}, or another stage's or image's files) with Docker's
 * rules: globs per path component, symlinks resolved inside the root. Their {@link #digest}
 * covers names, types, modes, sizes, link targets and contents — not mtimes, as Docker's cache —
 * and the files are staged into a directory laid out exactly like the layer they become.
 */
final class FileCopy {

    /** A source path: its real location and its name relative to the root it came from. */
    record Source(Path path, String relative) {
    }

    /** The owner and mode override a step asks for; null fields keep the defaults (root, source mode). */
    record Ownership(int uid, int gid, Integer mode) {
    }

    private FileCopy() {
    }

    /**
     * Expands {@code patterns} under {@code root}. Fails like Docker when a plain source is
     * missing (or ignored) and when globs match nothing.
     */
    static List<Source> sources(Path root, List<String> patterns, DockerIgnore ignore, String keyword) {
        List<Source> out = new ArrayList<>();
        for (String pattern : patterns) {
            String clean = DockerIgnore.clean(pattern);
            if (pattern.matches(".*[*?\\[].*")) {
                Pattern glob = Pattern.compile(DockerIgnore.regex(clean));
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.map(p -> root.relativize(p).toString()).filter(rel -> !rel.isEmpty())
                            .filter(rel -> glob.matcher(rel).matches() && !ignore.excludes(rel)).sorted()
                            .forEach(rel -> out.add(new Source(RootedPath.resolve(root, rel, true), rel)));
                } catch (IOException e) {
                    throw new EngineException.SystemError("cannot list build sources: " + e.getMessage(), e);
                }
                continue;
            }
            Path resolved = RootedPath.resolve(root, clean, true);
            String rel = root.relativize(resolved).toString();
            if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS) || (!clean.isEmpty() && ignore.excludes(rel))) {
                throw new EngineException.InvalidParameter(keyword + " failed: file not found in build context or excluded by "
                        + ".dockerignore: stat " + pattern + ": file does not exist");
            }
            out.add(new Source(resolved, rel));
        }
        if (out.isEmpty()) {
            throw new EngineException.InvalidParameter(keyword + " failed: no source files were specified");
        }
        return out;
    }

    /**
     * A content digest of the sources (recursively for directories, skipping ignored files).
     * {@code known} gives the sha256 of a regular file by its path relative to the root when
     * that is known already (null otherwise), so the file need not be read again.
     */
    static Digest digest(List<Source> sources, DockerIgnore ignore, Function<String, byte[]> known) {
        MessageDigest sha = sha256();
        try {
            for (Source s : sources) {
                hashTree(sha, s.path(), s.relative(), ignore, "", known);
            }
        } catch (IOException e) {
            throw new EngineException.SystemError("cannot read build sources: " + e.getMessage(), e);
        }
        return new Digest(HexFormat.of().formatHex(sha.digest()));
    }

    private static void hashTree(MessageDigest sha, Path p, String rel, DockerIgnore ignore, String name,
                                 Function<String, byte[]> known) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,isDirectory,isSymbolicLink,isRegularFile",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode");
        sha.update((name + "\0" + Integer.toOctalString(mode) + "\0").getBytes(StandardCharsets.UTF_8));
        if ((boolean) a.get("isSymbolicLink")) {
            sha.update(Files.readSymbolicLink(p).toString().getBytes(StandardCharsets.UTF_8));
        } else if ((boolean) a.get("isDirectory")) {
            for (Path child : children(p)) {
                String childRel = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
                if (!ignore.excludes(childRel)) {
                    hashTree(sha, child, childRel, ignore, name + "/" + child.getFileName(), known);
                }
            }
        } else if ((boolean) a.get("isRegularFile")) {
            sha.update(("" + a.get("size") + "\0").getBytes(StandardCharsets.UTF_8));
            byte[] content = known.apply(rel);
            sha.update(content != null ? content : contentSha(p));
        }
        sha.update((byte) '\n');
    }

    /** The sha256 of a file's content. */
    static byte[] contentSha(Path file) throws IOException {
        MessageDigest sha = sha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                sha.update(buf, 0, n);
            }
        }
        return sha.digest();
    }

    /**
     * Copies {@code source} to {@code target} (a path in the staging dir that does not exist
     * yet): directories recursively, skipping ignored entries; symlinks as links; owners and
     * mode as {@code own} says; mtimes as in the source.
     */
    static void stage(Source source, Path target, Ownership own, DockerIgnore ignore) throws IOException {
        copyTree(source.path(), source.relative(), target, own, ignore);
    }

    /** Copies the entries of directory {@code source} into the existing dir {@code target}. */
    static void stageContents(Source source, Path target, Ownership own, DockerIgnore ignore) throws IOException {
        for (Path child : children(source.path())) {
            String rel = source.relative().isEmpty() ? child.getFileName().toString()
                    : source.relative() + "/" + child.getFileName();
            if (!ignore.excludes(rel)) {
                copyTree(child, rel, target.resolve(child.getFileName().toString()), own, ignore);
            }
        }
    }

    private static void copyTree(Path src, String rel, Path target, Ownership own, DockerIgnore ignore) throws IOException {
        Map<String, Object> a = Files.readAttributes(src, "unix:mode,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode") & 07777;
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(target);
        }
        if (Files.isSymbolicLink(src)) {
            Files.createSymbolicLink(target, Files.readSymbolicLink(src));
            chown(target, own);
        } else if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(target);
            }
            for (Path child : children(src)) {
                String childRel = rel.isEmpty() ? child.getFileName().toString() : rel + "/" + child.getFileName();
                if (!ignore.excludes(childRel)) {
                    copyTree(child, childRel, target.resolve(child.getFileName().toString()), own, ignore);
                }
            }
            chown(target, own);
            BuildContext.setMode(target, own.mode() != null ? own.mode() : mode);
        } else if (Files.isRegularFile(src, LinkOption.NOFOLLOW_LINKS)) {
            Files.copy(src, target);
            chown(target, own);
            BuildContext.setMode(target, own.mode() != null ? own.mode() : mode);
        } else {
            return; // devices, fifos and sockets are not copied
        }
        BuildContext.setTimes(target, (FileTime) a.get("lastModifiedTime"));
    }

    static void chown(Path p, Ownership own) throws IOException {
        Files.setAttribute(p, "unix:uid", own.uid(), LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(p, "unix:gid", own.gid(), LinkOption.NOFOLLOW_LINKS);
    }

    /** Whether {@code file} is a tar (plain, gzip or bzip2) that ADD unpacks instead of copying. */
    static boolean isArchive(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = BuildContext.decompressed(Files.newInputStream(file))) {
            byte[] header = in.readNBytes(512);
            return header.length == 512 && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        } catch (IOException e) {
            return false;
        }
    }

    static List<Path> children(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString())).toList();
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
