package dev.muelle.desktop.engine;

/**
 * One entry of a directory inside a container, read from the archive API's tar headers.
 *
 * @param path the absolute path inside the container
 * @param linkTarget where a symbolic link points, else null
 */
public record FileEntry(String name, String path, Kind kind, long size, long modifiedEpochSeconds, String mode,
                        String linkTarget) {

    /** What the file browser needs to tell apart. */
    public enum Kind { DIRECTORY, FILE, SYMLINK, OTHER }

    public boolean directory() {
        return kind == Kind.DIRECTORY;
    }
}
