package dev.muelle.desktop;

import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.FileContent;
import dev.muelle.desktop.engine.Transfer;
import dev.muelle.desktop.engine.VolumeFile;
import dev.muelle.desktop.engine.VolumeFiles;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One volume's regular files in memory (path → content), with a version per file that changes on
 * every write, so view-model tests can see conflicts as the engine reports them.
 */
public final class FakeVolumeFiles implements VolumeFiles {

    public final Map<String, byte[]> content = new TreeMap<>();
    private final Map<String, Integer> versions = new TreeMap<>();

    /** As a container writing into the volume would: new content, new version. */
    public void put(String path, String text) {
        content.put(path, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        versions.merge(path, 1, Integer::sum);
    }

    public String text(String path) {
        return new String(content.get(path), java.nio.charset.StandardCharsets.UTF_8);
    }

    private VolumeFile info(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return new VolumeFile(name, path, "file", content.get(path).length, 0644, 0, 0, Instant.EPOCH, null,
                "\"v" + versions.get(path) + "\"");
    }

    @Override
    public List<VolumeFile> list(String volume, String directory) {
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        return content.keySet().stream().filter(p -> p.startsWith(prefix) && p.indexOf('/', prefix.length()) < 0)
                .map(this::info).toList();
    }

    @Override
    public VolumeFile stat(String volume, String path) {
        return info(path);
    }

    @Override
    public FileContent read(String volume, String path) {
        return new FileContent(content.get(path), info(path).etag());
    }

    @Override
    public VolumeFile write(String volume, String path, byte[] bytes, String expectedEtag) {
        boolean exists = content.containsKey(path);
        if (NEW_FILE.equals(expectedEtag) ? exists : expectedEtag != null && (!exists || !info(path).etag().equals(expectedEtag))) {
            throw new EngineException.Conflict("precondition failed for " + path, null);
        }
        content.put(path, bytes);
        versions.merge(path, 1, Integer::sum);
        return info(path);
    }

    @Override
    public void delete(String volume, String path, boolean recursive) {
        content.remove(path);
    }

    @Override
    public void mkdir(String volume, String path) {
    }

    @Override
    public void move(String volume, String from, String to) {
        content.put(to, content.remove(from));
        versions.put(to, versions.remove(from));
    }

    @Override
    public long upload(String volume, String directory, List<Path> sources, Transfer transfer) {
        if (directory.contains("..")) {
            throw new EngineException.Invalid("path " + directory + " contains '..'", null);
        }
        return 0;
    }

    @Override
    public void downloadFile(String volume, String path, Path target, Transfer transfer) {
        try {
            java.nio.file.Files.write(target, content.get(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void downloadTree(String volume, String path, Path targetDirectory, Transfer transfer) {
    }

    @Override
    public void export(String volume, Path targetTar, Transfer transfer) {
    }

    @Override
    public void importVolume(String name, Path tar, Transfer transfer) {
    }

    @Override
    public void cloneVolume(String volume, String to) {
    }
}
