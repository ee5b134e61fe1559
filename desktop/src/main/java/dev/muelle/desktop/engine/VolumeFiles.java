package dev.muelle.desktop.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * The files inside volumes, through Muelle's volume file API ({@code /muelle/v1/volumes/...},
 * see docs/volume-file-api.md). Paths are relative to the volume's root and start with {@code /};
 * the engine confines them to the volume and refuses names that would leave it
 * ({@link EngineException.Invalid} or {@link EngineException.Failed} with its reason).
 *
 * <p>Editing: {@link #read} returns the content and its version; {@link #write} with that version
 * fails with {@link EngineException.Conflict} when anyone changed the file meanwhile, and the file
 * is then left as the other writer left it.
 */
public interface VolumeFiles {

    List<VolumeFile> list(String volume, String directory);

    VolumeFile stat(String volume, String path);

    FileContent read(String volume, String path);

    /**
     * Replace (or create) a file. {@code expectedEtag}: the version read before (null: overwrite
     * whatever is there; {@link #NEW_FILE}: only create).
     */
    VolumeFile write(String volume, String path, byte[] content, String expectedEtag);

    /** Pass as {@code expectedEtag} to create a file that must not exist yet. */
    String NEW_FILE = "*";

    void delete(String volume, String path, boolean recursive);

    void mkdir(String volume, String path);

    void move(String volume, String from, String to);

    /** Upload local files and folders (recursively) into {@code directory}; returns the bytes sent. */
    long upload(String volume, String directory, List<Path> sources, Transfer transfer);

    /** Save one file of the volume to {@code target}. */
    void downloadFile(String volume, String path, Path target, Transfer transfer);

    /** Save a file or folder of the volume, with its name, into local folder {@code targetDirectory}. */
    void downloadTree(String volume, String path, Path targetDirectory, Transfer transfer);

    /** The whole volume as a tar file. */
    void export(String volume, Path targetTar, Transfer transfer);

    /** A new volume {@code name} from a tar written by {@link #export}. */
    void importVolume(String name, Path tar, Transfer transfer);

    /** A new, independent volume {@code to} with the same files as {@code volume}. */
    void cloneVolume(String volume, String to);
}
