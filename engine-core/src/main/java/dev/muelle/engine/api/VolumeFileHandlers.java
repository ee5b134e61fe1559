package dev.muelle.engine.api;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.volume.FileInfo;
import dev.muelle.engine.volume.VolumeFiles;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.multipart.DefaultHttpDataFactory;
import io.netty.handler.codec.http.multipart.DiskFileUpload;
import io.netty.handler.codec.http.multipart.FileUpload;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.netty.handler.codec.http.multipart.InterfaceHttpData;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The volume file API, a Muelle extension under {@code /muelle/v1/volumes/{name}/...}; see
 * {@code docs/volume-file-api.md} for the endpoint table. Handlers parse the request (query,
 * Range, If-Match, multipart framing) and call {@link VolumeFiles}.
 */
final class VolumeFileHandlers {

    private static final String PREFIX = "/muelle/v1/volumes";

    private final VolumeFiles files;

    VolumeFileHandlers(VolumeFiles files) {
        this.files = files;
    }

    void register(Router r) {
        r.get(PREFIX + "/{name}/list", (q, s) -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("path", "/" + dev.muelle.engine.volume.RootedFs.relative(q.query("path", "")));
            body.put("entries", files.list(q.param("name"), q.query("path", "")));
            s.json(200, body);
        })
                .get(PREFIX + "/{name}/stat", (q, s) -> {
                    FileInfo info = files.stat(q.param("name"), requiredPath(q));
                    s.header("ETag", info.etag()).json(200, info);
                })
                .get(PREFIX + "/{name}/file", this::read)
                .putStreaming(PREFIX + "/{name}/file", this::write)
                .delete(PREFIX + "/{name}/file", (q, s) -> {
                    files.delete(q.param("name"), requiredPath(q), q.queryBool("recursive", false));
                    s.status(204);
                })
                .postStreaming(PREFIX + "/{name}/upload", this::upload)
                .post(PREFIX + "/{name}/mkdir", (q, s) -> {
                    files.mkdir(q.param("name"), requiredPath(q), mode(q, 0755), q.queryBool("parents", false));
                    s.status(201);
                })
                .post(PREFIX + "/{name}/move", (q, s) -> {
                    files.move(q.param("name"), required(q, "from"), required(q, "to"), q.queryBool("overwrite", false));
                    s.status(204);
                })
                .get(PREFIX + "/{name}/archive", (q, s) -> {
                    files.download(q.param("name"), q.query("path", "/"), () -> s.stream(200, "application/x-tar"));
                })
                .get(PREFIX + "/{name}/usage", (q, s) -> {
                    var u = files.usage(q.param("name"));
                    s.json(200, Map.of("size", u.size(), "files", u.files()));
                })
                .post(PREFIX + "/{name}/clone", (q, s) -> s.json(201, files.cloneVolume(q.param("name"), required(q, "to"), null)))
                .get(PREFIX + "/{name}/export", (q, s) -> {
                    files.export(q.param("name"), () -> s.stream(200, "application/x-tar"));
                })
                .postStreaming(PREFIX + "/import", (q, s) -> s.json(201, files.importVolume(required(q, "name"), q.body(), null)));
    }

    private static String required(ApiRequest q, String name) {
        String v = q.query(name);
        if (v == null || v.isEmpty()) {
            throw new EngineException.InvalidParameter("query parameter " + name + " is required");
        }
        return v;
    }

    private static String requiredPath(ApiRequest q) {
        return required(q, "path");
    }

    private static int mode(ApiRequest q, int dflt) {
        String m = q.query("mode");
        if (m == null || m.isEmpty()) {
            return dflt;
        }
        try {
            return Integer.parseInt(m, 8) & 07777;
        } catch (NumberFormatException e) {
            throw new EngineException.InvalidParameter("mode must be octal, like 0644: " + m);
        }
    }

    /** GET file: the whole content, or one byte range (206); 304 when If-None-Match has the current ETag. */
    private void read(ApiRequest q, ApiResponse s) throws IOException {
        try (VolumeFiles.OpenFile f = files.read(q.param("name"), requiredPath(q))) {
            String etag = f.info().etag();
            if (etag.equals(q.header("If-None-Match"))) {
                s.header("ETag", etag).status(304);
                return;
            }
            long total = f.channel().size();
            long start = 0;
            long end = total - 1;
            int status = 200;
            String range = q.header("Range");
            if (range != null && range.startsWith("bytes=") && !range.contains(",")) {
                String[] se = range.substring(6).split("-", -1);
                try {
                    if (se[0].isEmpty()) {
                        start = Math.max(0, total - Long.parseLong(se[1]));
                    } else {
                        start = Long.parseLong(se[0]);
                        end = se[1].isEmpty() ? total - 1 : Math.min(total - 1, Long.parseLong(se[1]));
                    }
                } catch (NumberFormatException e) {
                    throw new EngineException.InvalidParameter("invalid Range header: " + range);
                }
                if (start >= total || start > end) {
                    s.header("Content-Range", "bytes */" + total).json(416, Map.of("message", "range not satisfiable: " + range));
                    return;
                }
                status = 206;
                s.header("Content-Range", "bytes " + start + "-" + end + "/" + total);
            }
            s.header("ETag", etag).header("Accept-Ranges", "bytes");
            OutputStream out = s.stream(status, "application/octet-stream");
            f.channel().position(start);
            long left = end - start + 1;
            ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
            var sink = Channels.newChannel(out);
            while (left > 0) {
                buf.clear().limit((int) Math.min(buf.capacity(), left));
                int n = f.channel().read(buf);
                if (n < 0) {
                    break;
                }
                buf.flip();
                sink.write(buf);
                left -= n;
            }
        }
    }

    /** PUT file: If-Match (ETag), If-None-Match: * (create only) or X-Muelle-Expected-Sha256 guard against lost updates. */
    private void write(ApiRequest q, ApiResponse s) throws IOException {
        var pre = new VolumeFiles.Precondition(q.header("If-Match"), "*".equals(q.header("If-None-Match")),
                q.header("X-Muelle-Expected-Sha256"));
        FileInfo info = files.write(q.param("name"), requiredPath(q), q.body(), mode(q, 0644), pre);
        s.header("ETag", info.etag()).json(200, info);
    }

    /** POST upload: a tar (application/x-tar) or multipart/form-data files into directory {@code path}. */
    private void upload(ApiRequest q, ApiResponse s) throws IOException {
        String volume = q.param("name");
        String dir = q.query("path", "/");
        String type = q.header("Content-Type") == null ? "" : q.header("Content-Type");
        if (type.startsWith("multipart/form-data")) {
            s.json(200, Map.of("files", uploadMultipart(q, volume, dir, type)));
            return;
        }
        if (!type.isEmpty() && !type.startsWith("application/x-tar") && !type.startsWith("application/octet-stream")) {
            throw new EngineException.InvalidParameter("upload takes application/x-tar or multipart/form-data, not " + type);
        }
        var x = files.uploadTar(volume, dir, q.body());
        s.json(200, Map.of("entries", x.entries(), "bytes", x.bytes()));
    }

    /** Each file part is written as it completes (parts over 16 KiB spill to a temporary file, never to memory). */
    private List<String> uploadMultipart(ApiRequest q, String volume, String dir, String contentType) throws IOException {
        DiskFileUpload.deleteOnExitTemporaryFile = false;
        DefaultHttpDataFactory factory = new DefaultHttpDataFactory(16 * 1024);
        DefaultHttpRequest req = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/upload");
        req.headers().set("Content-Type", contentType);
        HttpPostRequestDecoder decoder = new HttpPostRequestDecoder(factory, req);
        List<String> written = new ArrayList<>();
        try {
            InputStream body = q.body();
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = body.read(buf)) > 0) {
                decoder.offer(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)));
                drain(decoder, volume, dir, written);
            }
            decoder.offer(LastHttpContent.EMPTY_LAST_CONTENT);
            drain(decoder, volume, dir, written);
            return written;
        } catch (HttpPostRequestDecoder.ErrorDataDecoderException e) {
            throw new EngineException.InvalidParameter("malformed multipart body: " + e.getMessage());
        } finally {
            decoder.destroy();
            factory.cleanAllHttpData();
        }
    }

    private void drain(HttpPostRequestDecoder decoder, String volume, String dir, List<String> written) throws IOException {
        try {
            while (decoder.hasNext()) {
                InterfaceHttpData d = decoder.next();
                try {
                    if (d instanceof FileUpload up && up.isCompleted()) {
                        String rel = dir + "/" + up.getFilename();
                        int slash = rel.lastIndexOf('/');
                        if (slash > 0) {
                            files.mkdir(volume, rel.substring(0, slash), 0755, true);
                        }
                        try (InputStream in = up.isInMemory() ? new java.io.ByteArrayInputStream(up.get())
                                : new java.io.FileInputStream(up.getFile())) {
                            files.write(volume, rel, in, 0644, VolumeFiles.Precondition.NONE);
                        }
                        written.add(up.getFilename());
                    }
                } finally {
                    decoder.removeHttpDataFromClean(d);
                    d.release();
                }
            }
        } catch (HttpPostRequestDecoder.EndOfDataDecoderException end) {
            // all parts read
        }
    }
}
