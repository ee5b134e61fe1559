package dev.muelle.engine.image;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Writes a {@code docker save} archive in the layout dockerd 25+ writes and every dockerd loads:
 * configs and uncompressed layer tars under {@code blobs/sha256/}, plus {@code manifest.json}.
 * Layer tars are the exact bytes the layers were unpacked from (decompressed if delivered
 * compressed), so their sha256 is the diff ID and image IDs survive a save/load round trip.
 */
final class DockerArchiveWriter {

    /** One image to write: config blob (= image ID), layers bottom first, and the tags to record. */
    record Item(Digest config, List<Layer> layers, List<String> repoTags) {
    }


    private DockerArchiveWriter() {
    }

    static void write(List<Item> items, ContentStore blobs, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Set<Digest> written = new HashSet<>();
        ArrayNode manifest = Json.array();
        addDir(tar, "blobs/");
        addDir(tar, "blobs/sha256/");
        for (Item item : items) {
            ObjectNode m = manifest.addObject();
            m.put("Config", path(item.config()));
            ArrayNode tags = m.putArray("RepoTags");
            item.repoTags().forEach(tags::add);
            ArrayNode layers = m.putArray("Layers");
            if (written.add(item.config())) {
                try (InputStream in = blobs.read(item.config())) {
                    addFile(tar, path(item.config()), blobs.size(item.config()), in);
                }
            }
            for (Layer layer : item.layers()) {
                layers.add(path(layer.diffId()));
                if (written.add(layer.diffId())) {
                    writeLayer(tar, layer, blobs);
                }
            }
        }
        byte[] manifestBytes = Json.bytes(manifest);
        addFile(tar, "manifest.json", manifestBytes.length, new ByteArrayInputStream(manifestBytes));
        tar.finish();
        tar.flush();
    }

    private static void writeLayer(TarArchiveOutputStream tar, Layer layer, ContentStore blobs) throws IOException {
        if (layer.blob() == null || !blobs.exists(layer.blob())) {
            throw new EngineException.SystemError("cannot save layer " + layer.diffId() + ": its tar was not kept");
        }
        long size;
        try (InputStream in = LayerUnpacker.decompressed(blobs.read(layer.blob()))) {
            size = in.transferTo(OutputStream.nullOutputStream()); // the header needs the size first
        }
        try (InputStream in = LayerUnpacker.decompressed(blobs.read(layer.blob()))) {
            addFile(tar, path(layer.diffId()), size, in);
        }
    }

    private static String path(Digest d) {
        return "blobs/sha256/" + d.hex();
    }

    private static void addDir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static void addFile(TarArchiveOutputStream tar, String name, long size, InputStream content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100444);
        e.setSize(size);
        tar.putArchiveEntry(e);
        long copied = content.transferTo(tar);
        if (copied != size) {
            throw new EngineException.SystemError("blob for " + name + " changed while saving");
        }
        tar.closeArchiveEntry();
    }
}
