package dev.muelle.engine.image;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

/**
 * The few libc calls the image store needs and {@code java.nio.file} lacks: creating device nodes
 * (overlay whiteouts are char devices 0:0), setting xattrs and owners on symlinks themselves,
 * setting mtimes without following links, and mount(2) for overlay snapshots.
 *
 * <p>Every call throws {@link LastErrorException} (carrying errno) instead of returning -1.
 */
interface Libc extends Library {

    Libc INSTANCE = Native.load("c", Libc.class);

    int AT_FDCWD = -100;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int S_IFCHR = 0020000;
    int S_IFBLK = 0060000;
    int S_IFIFO = 0010000;
    int MNT_DETACH = 2;
    int EINVAL = 22;
    int ENOENT = 2;

    int mknodat(int dirfd, String path, int mode, long dev) throws LastErrorException;

    int lchown(String path, int uid, int gid) throws LastErrorException;

    int fchmodat(int dirfd, String path, int mode, int flags) throws LastErrorException;

    int lsetxattr(String path, String name, byte[] value, NativeLong size, int flags) throws LastErrorException;

    int lgetxattr(String path, String name, byte[] value, NativeLong size) throws LastErrorException;

    /** {@code times} is {atime.sec, atime.nsec, mtime.sec, mtime.nsec} (two struct timespec). */
    int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    int mount(String source, String target, String fstype, NativeLong flags, String data) throws LastErrorException;

    int umount2(String target, int flags) throws LastErrorException;

    int geteuid();

    /** glibc's makedev: the Linux dev_t encoding of a device number. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
