package dev.muelle.desktop.engine;

import java.time.Instant;

/**
 * One entry of a volume as the volume file API describes it ({@code FileInfo}).
 *
 * @param path the entry's path from the volume's root, always starting with {@code /}
 * @param mode permission, set-id and sticky bits (0644 = 420)
 * @param etag the version to send back with {@code If-Match} when saving an edit
 */
public record VolumeFile(String name, String path, String type, long size, int mode, int uid, int gid,
                         Instant modified, String linkTarget, String etag) {

    public boolean directory() {
        return type.equals("directory");
    }

    /** {@code drwxr-xr-x}, as ls shows it. */
    public String modeText() {
        StringBuilder s = new StringBuilder(switch (type) {
            case "directory" -> "d";
            case "symlink" -> "l";
            case "fifo" -> "p";
            case "char-device" -> "c";
            case "block-device" -> "b";
            case "socket" -> "s";
            default -> "-";
        });
        String letters = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            s.append((mode & (1 << (8 - i))) != 0 ? letters.charAt(i) : '-');
        }
        return s.toString();
    }

    /** The path of {@code child} inside directory {@code dir} ("/" + "a" = "/a"). */
    public static String join(String dir, String child) {
        return dir.endsWith("/") ? dir + child : dir + "/" + child;
    }

    /** The directory holding {@code path} ("/a/b" → "/a", "/a" → "/"). */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
