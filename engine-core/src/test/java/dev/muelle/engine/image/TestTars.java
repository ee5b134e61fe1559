package dev.muelle.engine.image;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.function.Consumer;

/** Builds small tars in memory for tests: layer tars and whole docker-archive tars. */
final class TestTars {

    static final Instant MTIME = Instant.parse("2020-01-02T03:04:05Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TestTars() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TestTars dir(String name, int mode) {
        return entry(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"), mode, null, e -> { });
    }

    TestTars file(String name, String content) {
        return file(name, content, 0644, 0, 0);
    }

    TestTars file(String name, String content, int mode, int uid, int gid) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode, uid, gid);
    }

    TestTars file(String name, byte[] content, int mode, int uid, int gid) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setIds(uid, gid);
        return entry(e, mode, content, x -> { });
    }

    TestTars fileWithXattr(String name, String content, String xattr, String value) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        e.addPaxHeader("SCHILY.xattr." + xattr, value);
        return entry(e, 0644, data, x -> { });
    }

    TestTars symlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        return entry(e, 0777, null, x -> { });
    }

    TestTars hardlink(String name, String target) {
        TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        return entry(e, 0644, null, x -> { });
    }

    private TestTars entry(TarArchiveEntry e, int mode, byte[] content, Consumer<TarArchiveEntry> extra) {
        try {
            e.setMode(mode | (e.isDirectory() ? 040000 : e.isSymbolicLink() ? 0120000 : e.isLink() ? 0100000 : 0100000));
            e.setModTime(Date.from(MTIME));
            extra.accept(e);
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] build() {
        try {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A docker-save style archive: one image with these layer tars, tagged {@code repoTags}. */
    static byte[] dockerArchive(List<byte[]> layers, List<String> repoTags, String configExtra) {
        StringBuilder diffIds = new StringBuilder();
        StringBuilder layerPaths = new StringBuilder();
        TestTars archive = new TestTars();
        for (int i = 0; i < layers.size(); i++) {
            Digest d = Digest.of(layers.get(i));
            diffIds.append(i == 0 ? "" : ",").append('"').append(d).append('"');
            layerPaths.append(i == 0 ? "" : ",").append("\"").append(d.hex()).append("/layer.tar\"");
            archive.dir(d.hex(), 0755).file(d.hex() + "/layer.tar", layers.get(i), 0644, 0, 0)
                    .file(d.hex() + "/VERSION", "1.0");
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"created\":\"2021-05-06T07:08:09Z\","
                + "\"config\":{\"Env\":[\"PATH=/bin\"],\"Cmd\":[\"sh\"]" + configExtra + "},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + diffIds + "]}}";
        Digest configDigest = Digest.of(config);
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < repoTags.size(); i++) {
            tags.append(i == 0 ? "" : ",").append('"').append(repoTags.get(i)).append('"');
        }
        String manifest = "[{\"Config\":\"" + configDigest.hex() + ".json\",\"RepoTags\":[" + tags + "],\"Layers\":["
                + layerPaths + "]}]";
        archive.file(configDigest.hex() + ".json", config).file("manifest.json", manifest);
        return archive.build();
    }
}
