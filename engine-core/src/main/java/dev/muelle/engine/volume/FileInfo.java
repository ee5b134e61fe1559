package dev.muelle.engine.volume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;

/**
 * What one directory entry is, as lstat(2) says: the file API's listing row and the source of
 * a tar header. {@code mode} holds the permission and set-id/sticky bits only; the kind is
 * {@link #type}. {@code linkTarget} is set for symlinks only.
 */
public record FileInfo(String name, Type type, long size, int mode, int uid, int gid, Instant mtime,
                       String linkTarget, long inode, long device, int links) implements JsonValue {

    /** The kinds of entry a tree can hold. */
    public enum Type {
        FILE, DIRECTORY, SYMLINK, FIFO, CHAR_DEVICE, BLOCK_DEVICE, SOCKET;

        /** Lower-case word for API output ("file", "directory", "symlink", ...). */
        public String word() {
            return name().toLowerCase().replace('_', '-');
        }

        static Type of(int mode) {
            return switch (mode & 0170000) {
                case 0040000 -> DIRECTORY;
                case 0120000 -> SYMLINK;
                case 0010000 -> FIFO;
                case 0020000 -> CHAR_DEVICE;
                case 0060000 -> BLOCK_DEVICE;
                case 0140000 -> SOCKET;
                default -> FILE;
            };
        }
    }

    /** Reads {@code p} (a /proc/self/fd path), following a final symlink only when {@code follow}. */
    static FileInfo read(Path p, String name, boolean follow) throws IOException {
        LinkOption[] opts = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,size,uid,gid,lastModifiedTime,ino,dev,nlink", opts);
        int mode = (Integer) a.get("mode");
        Type type = Type.of(mode);
        String target = type == Type.SYMLINK ? Files.readSymbolicLink(p).toString() : null;
        return new FileInfo(name, type, type == Type.DIRECTORY ? 0 : (Long) a.get("size"), mode & 07777,
                (Integer) a.get("uid"), (Integer) a.get("gid"), ((FileTime) a.get("lastModifiedTime")).toInstant(),
                target, (Long) a.get("ino"), (Long) a.get("dev"), (Integer) a.get("nlink"));
    }

    /**
     * A validator that changes whenever the file's content may have: used as the HTTP ETag and
     * checked by {@code If-Match} so concurrent edits are detected.
     */
    /** RFC 3339 with nanoseconds, as the API shows times. */
    public String mtimeText() {
        return mtime.toString();
    }

    public String etag() {
        return "\"" + Long.toHexString(inode) + "-" + Long.toHexString(size) + "-"
                + Long.toHexString(mtime.getEpochSecond()) + "." + mtime.getNano() + "\"";
    }

    /** The file API's row: inode, device and link count stay inside; a null name or link target is left out. */
    @Override
    public JsonNode toJson() {
        ObjectNode o = Json.object();
        if (name != null) {
            o.put("name", name);
        }
        if (type != null) {
            o.put("type", type.word());
        }
        o.put("size", size).put("mode", mode).put("uid", uid).put("gid", gid).put("mtime", mtimeText());
        if (linkTarget != null) {
            o.put("linkTarget", linkTarget);
        }
        return o.put("etag", etag());
    }
}
