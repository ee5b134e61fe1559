package dev.muelle.desktop.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * {@link VolumeFiles} over the engine's own socket, through the same docker-java transport as
 * {@link DockerJavaEngineClient} (the volume file API is Muelle's, so docker-java has no commands
 * for it). Uploads are tar streams written while they are sent; downloads are unpacked as they
 * arrive, and an entry that would land outside the chosen folder is refused.
 */
final class MuelleVolumeFiles implements VolumeFiles {

    private static final String BASE = "/muelle/v1/volumes/";
    private static final int BLOCK = 64 * 1024;
    /** Hidden folders uploads are staged in ({@code .muelle-upload-xxxxxxxx}) until they are complete. */
    private static final String STAGING_PREFIX = ".muelle-upload-";

    private final DockerHttpClient http;
    private final DockerJavaEngineClient errors;
    private final ObjectMapper json = new ObjectMapper();

    MuelleVolumeFiles(DockerHttpClient http, DockerJavaEngineClient errors) {
        this.http = http;
        this.errors = errors;
    }

    @Override
    public List<VolumeFile> list(String volume, String directory) {
        return call("list " + directory, () -> {
            JsonNode body = readJson(get(volume, "list", "path", directory));
            List<VolumeFile> files = new ArrayList<>();
            for (JsonNode n : body.path("entries")) {
                files.add(file(n, VolumeFile.join(directory, n.path("name").asText())));
            }
            return files;
        });
    }

    @Override
    public VolumeFile stat(String volume, String path) {
        return call("read " + path, () -> file(readJson(get(volume, "stat", "path", path)), path));
    }

    @Override
    public FileContent read(String volume, String path) {
        return call("read " + path, () -> {
            try (DockerHttpClient.Response r = http.execute(request("GET", url(volume, "file", "path", path)).build())) {
                DockerJavaEngineClient.checkStatus(r);
                return new FileContent(r.getBody().readAllBytes(), r.getHeader("ETag"));
            }
        });
    }

    @Override
    public VolumeFile write(String volume, String path, byte[] content, String expectedEtag) {
        return call("save " + path, () -> {
            var b = request("PUT", url(volume, "file", "path", path)).bodyBytes(content)
                    .putHeader("Content-Type", "application/octet-stream");
            if (NEW_FILE.equals(expectedEtag)) {
                b.putHeader("If-None-Match", "*");
            } else if (expectedEtag != null) {
                b.putHeader("If-Match", expectedEtag);
            }
            try (DockerHttpClient.Response r = http.execute(b.build())) {
                DockerJavaEngineClient.checkStatus(r);
                return file(json.readTree(r.getBody()), path);
            }
        });
    }

    @Override
    public void delete(String volume, String path, boolean recursive) {
        call("delete " + path, () -> exchange("DELETE", url(volume, "file", "path", path) + (recursive ? "&recursive=1" : "")));
    }

    @Override
    public void mkdir(String volume, String path) {
        call("create folder " + path, () -> exchange("POST", url(volume, "mkdir", "path", path)));
    }

    @Override
    public void move(String volume, String from, String to) {
        call("rename " + from, () -> exchange("POST", url(volume, "move", "from", from) + "&to=" + encode(to)));
    }

    /**
     * Uploads into a hidden staging folder next to the target and moves the uploaded entries into
     * place only when the whole tar arrived, so a cancelled or broken upload leaves nothing behind
     * (the staging folder is removed). Folders that already exist are merged entry by entry.
     */
    @Override
    public long upload(String volume, String directory, List<Path> sources, Transfer transfer) {
        String staging = VolumeFile.join(directory, STAGING_PREFIX + UUID.randomUUID().toString().substring(0, 8));
        mkdir(volume, staging);
        try {
            long bytes = sendTar(volume, staging, sources, transfer);
            call("upload into " + directory, () -> {
                for (VolumeFile entry : list(volume, staging)) {
                    place(volume, entry, VolumeFile.join(directory, entry.name()));
                }
                return null;
            });
            delete(volume, staging, true);
            return bytes;
        } catch (RuntimeException e) {
            removeStaging(volume, staging);
            throw e;
        }
    }

    /** Moves a staged entry to {@code target}; a staged folder is merged into a folder already there. */
    private void place(String volume, VolumeFile staged, String target) {
        VolumeFile existing;
        try {
            existing = stat(volume, target);
        } catch (EngineException.NotFound e) {
            existing = null;
        }
        if (existing != null && existing.directory() && staged.directory()) {
            for (VolumeFile child : list(volume, staged.path())) {
                place(volume, child, VolumeFile.join(target, child.name()));
            }
        } else {
            call("upload " + target, () -> exchange("POST", url(volume, "move", "from", staged.path()) + "&to=" + encode(target)
                    + "&overwrite=1"));
        }
    }

    /**
     * Removes a staging folder after a failed or cancelled upload. The engine may still be writing
     * into it for a moment after the request broke, so a refused delete is tried again a few times.
     */
    private void removeStaging(String volume, String staging) {
        for (int attempt = 0; attempt < 10; attempt++) {
            try {
                delete(volume, staging, true);
                return;
            } catch (EngineException.NotFound gone) {
                return;
            } catch (RuntimeException busy) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private long sendTar(String volume, String directory, List<Path> sources, Transfer transfer) {
        return call("upload into " + directory, () -> {
            transfer.total(totalSize(sources));
            PipedInputStream body = new PipedInputStream(BLOCK);
            PipedOutputStream sink = new PipedOutputStream(body);
            AtomicReference<Exception> producerFailure = new AtomicReference<>();
            Thread producer = new Thread(() -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(sink)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    for (Path source : sources) {
                        addToTar(tar, source, source.getFileName().toString(), transfer);
                    }
                } catch (IOException | RuntimeException e) {
                    producerFailure.set(e);
                    try {
                        sink.close();
                    } catch (IOException ignored) {
                        // the reader sees the end either way
                    }
                }
            }, "volume-upload");
            producer.setDaemon(true);
            producer.start();
            try (DockerHttpClient.Response r = http.execute(request("POST", url(volume, "upload", "path", directory))
                    .putHeader("Content-Type", "application/x-tar").body(body).build())) {
                joinQuietly(producer);
                if (producerFailure.get() instanceof RuntimeException e) {
                    throw e;
                }
                if (producerFailure.get() instanceof IOException e) {
                    throw new UncheckedIOException(e);
                }
                DockerJavaEngineClient.checkStatus(r);
                return json.readTree(r.getBody()).path("bytes").asLong(transfer.done());
            } catch (RuntimeException e) {
                if (transfer.cancelled()) {
                    throw new Transfer.Cancelled("Upload");
                }
                throw e;
            }
        });
    }

    private static void addToTar(TarArchiveOutputStream tar, Path source, String name, Transfer transfer) throws IOException {
        if (Files.isSymbolicLink(source)) {
            TarArchiveEntry link = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            link.setLinkName(Files.readSymbolicLink(source).toString());
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        } else if (Files.isDirectory(source)) {
            tar.putArchiveEntry(tar.createArchiveEntry(source, name + "/", LinkOption.NOFOLLOW_LINKS));
            tar.closeArchiveEntry();
            try (Stream<Path> children = Files.list(source)) {
                for (Path child : children.sorted().toList()) {
                    addToTar(tar, child, name + "/" + child.getFileName(), transfer);
                }
            }
        } else if (Files.isRegularFile(source)) {
            tar.putArchiveEntry(tar.createArchiveEntry(source, name, LinkOption.NOFOLLOW_LINKS));
            try (InputStream in = Files.newInputStream(source)) {
                copy(in, tar, transfer, "Upload");
            }
            tar.closeArchiveEntry();
        }
        // Sockets, fifos and devices on the desktop have no content to upload.
    }

    private static long totalSize(List<Path> sources) throws IOException {
        long total = 0;
        for (Path source : sources) {
            try (Stream<Path> walk = Files.walk(source)) {
                total += walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .mapToLong(p -> p.toFile().length()).sum();
            }
        }
        return total;
    }

    @Override
    public void downloadFile(String volume, String path, Path target, Transfer transfer) {
        call("download " + path, () -> {
            try (DockerHttpClient.Response r = http.execute(request("GET", url(volume, "file", "path", path)).build())) {
                DockerJavaEngineClient.checkStatus(r);
                String length = r.getHeader("Content-Length");
                transfer.total(length == null ? -1 : Long.parseLong(length));
                Path partial = target.resolveSibling(target.getFileName() + ".part");
                try (OutputStream out = Files.newOutputStream(partial)) {
                    copy(r.getBody(), out, transfer, "Download");
                } catch (RuntimeException | IOException e) {
                    Files.deleteIfExists(partial);
                    throw e;
                }
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
                return null;
            }
        });
    }

    @Override
    public void downloadTree(String volume, String path, Path targetDirectory, Transfer transfer) {
        call("download " + path, () -> {
            try (DockerHttpClient.Response r = http.execute(request("GET", url(volume, "archive", "path", path)).build())) {
                DockerJavaEngineClient.checkStatus(r);
                unpack(r.getBody(), targetDirectory.toAbsolutePath().normalize(), transfer);
                return null;
            }
        });
    }

    /** Unpacks a tar below {@code root}, refusing any entry that would land outside it. */
    private static void unpack(InputStream in, Path root, Transfer transfer) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                Path target = root.resolve(entry.getName()).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    if (target.equals(root)) {
                        continue;
                    }
                    throw new EngineException.Invalid("The download holds " + entry.getName()
                            + ", which would be written outside " + root + "; nothing more was saved.", null);
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else if (entry.isSymbolicLink()) {
                    Files.createDirectories(target.getParent());
                    Files.deleteIfExists(target);
                    Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
                } else if (entry.isFile()) {
                    Files.createDirectories(target.getParent());
                    try (OutputStream out = Files.newOutputStream(target)) {
                        copy(tar, out, transfer, "Download");
                    }
                }
            }
        }
    }

    @Override
    public void export(String volume, Path targetTar, Transfer transfer) {
        call("export " + volume, () -> {
            try (DockerHttpClient.Response r = http.execute(request("GET", BASE + encode(volume) + "/export").build())) {
                DockerJavaEngineClient.checkStatus(r);
                try (OutputStream out = Files.newOutputStream(targetTar)) {
                    copy(r.getBody(), out, transfer, "Export");
                }
                return null;
            }
        });
    }

    @Override
    public void importVolume(String name, Path tar, Transfer transfer) {
        call("import " + name, () -> {
            transfer.total(Files.size(tar));
            try (InputStream file = Files.newInputStream(tar);
                 DockerHttpClient.Response r = http.execute(request("POST", BASE + "import?name=" + encode(name))
                         .putHeader("Content-Type", "application/x-tar").body(counting(file, transfer, "Import")).build())) {
                DockerJavaEngineClient.checkStatus(r);
                return null;
            }
        });
    }

    @Override
    public void cloneVolume(String volume, String to) {
        call("clone " + volume, () -> exchange("POST", BASE + encode(volume) + "/clone?to=" + encode(to)));
    }

    // --- plumbing ------------------------------------------------------------------------------

    private static void copy(InputStream in, OutputStream out, Transfer transfer, String what) throws IOException {
        byte[] buffer = new byte[BLOCK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            out.write(buffer, 0, n);
            transfer.advance(n, what);
        }
    }

    private static InputStream counting(InputStream in, Transfer transfer, String what) {
        return new FilterInputStream(in) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    transfer.advance(n, what);
                }
                return n;
            }
        };
    }

    private static void joinQuietly(Thread t) {
        try {
            t.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private VolumeFile file(JsonNode n, String path) {
        String mtime = n.path("mtime").asText("");
        return new VolumeFile(n.path("name").asText(), path, n.path("type").asText("file"), n.path("size").asLong(0),
                n.path("mode").asInt(0), n.path("uid").asInt(0), n.path("gid").asInt(0),
                mtime.isEmpty() ? Instant.EPOCH : Instant.parse(mtime),
                n.hasNonNull("linkTarget") ? n.path("linkTarget").asText() : null,
                n.hasNonNull("etag") ? n.path("etag").asText() : null);
    }

    private JsonNode readJson(DockerHttpClient.Request request) throws IOException {
        try (DockerHttpClient.Response r = http.execute(request)) {
            DockerJavaEngineClient.checkStatus(r);
            return json.readTree(r.getBody());
        }
    }

    private Void exchange(String method, String url) throws IOException {
        try (DockerHttpClient.Response r = http.execute(request(method, url).build())) {
            DockerJavaEngineClient.checkStatus(r);
            return null;
        }
    }

    private static DockerHttpClient.Request get(String volume, String op, String param, String value) {
        return request("GET", url(volume, op, param, value)).build();
    }

    private static DockerHttpClient.Request.Builder request(String method, String path) {
        return DockerHttpClient.Request.builder().method(DockerHttpClient.Request.Method.valueOf(method)).path(path);
    }

    private static String url(String volume, String op, String param, String value) {
        return BASE + encode(volume) + "/" + op + "?" + param + "=" + encode(value);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Work that talks HTTP; its failures become the same {@link EngineException}s as docker-java's. */
    private interface Io<T> {
        T run() throws IOException;
    }

    private <T> T call(String what, Io<T> body) {
        try {
            return body.run();
        } catch (EngineException e) {
            throw e;
        } catch (IOException e) {
            throw errors.translate(what, e);
        } catch (UncheckedIOException e) {
            throw errors.translate(what, e.getCause());
        } catch (RuntimeException e) {
            throw errors.translate(what, e);
        }
    }

}
