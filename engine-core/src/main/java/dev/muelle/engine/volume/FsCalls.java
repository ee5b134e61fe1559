package dev.muelle.engine.volume;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * The Linux calls that confine path resolution to a directory, which the JDK lacks: {@code
 * openat2(2)} with {@code RESOLVE_*} flags (Linux 5.6+), plus {@code mkdirat}/{@code unlinkat}/
 * {@code mknodat} relative to a directory descriptor. x86_64 numbers and flag values.
 */
interface FsCalls extends Library {

    FsCalls C = Native.load("c", FsCalls.class);

    long SYS_OPENAT2 = 437;

    int O_RDONLY = 0;
    int O_WRONLY = 1;
    int O_CREAT = 0x40;
    int O_EXCL = 0x80;
    int O_TRUNC = 0x200;
    int O_DIRECTORY = 0x10000;
    int O_NOFOLLOW = 0x20000;
    int O_CLOEXEC = 0x80000;
    int O_PATH = 0x200000;

    long RESOLVE_NO_MAGICLINKS = 0x02;
    long RESOLVE_NO_SYMLINKS = 0x04;
    long RESOLVE_BENEATH = 0x08;
    long RESOLVE_IN_ROOT = 0x10;

    int AT_REMOVEDIR = 0x200;
    int AT_SYMLINK_NOFOLLOW = 0x100;
    int AT_EMPTY_PATH = 0x1000;
    int RENAME_NOREPLACE = 1;
    int S_IFIFO = 0010000;

    int ENOENT = 2;
    int EAGAIN = 11;
    int EEXIST = 17;
    int EXDEV = 18;
    int ENOTDIR = 20;
    int EISDIR = 21;
    int ENOTEMPTY = 39;
    int ELOOP = 40;

    long syscall(long number, int dirfd, String path, Memory how, long size) throws LastErrorException;

    int close(int fd) throws LastErrorException;

    int mkdirat(int dirfd, String path, int mode) throws LastErrorException;

    int unlinkat(int dirfd, String path, int flags) throws LastErrorException;

    int mknodat(int dirfd, String path, int mode, long dev) throws LastErrorException;

    int renameat2(int olddirfd, String oldpath, int newdirfd, String newpath, int flags) throws LastErrorException;

    int fchownat(int dirfd, String path, int uid, int gid, int flags) throws LastErrorException;

    int fchmodat(int dirfd, String path, int mode, int flags) throws LastErrorException;

    /** {@code times}: atime sec, nsec, mtime sec, nsec. */
    int utimensat(int dirfd, String path, long[] times, int flags) throws LastErrorException;

    int symlinkat(String target, int newdirfd, String linkpath) throws LastErrorException;

    int linkat(int olddirfd, String oldpath, int newdirfd, String newpath, int flags) throws LastErrorException;

    String strerror(int errnum);

    /** openat2(dirfd, path, {flags, mode, resolve}); retried on EAGAIN (a rename raced the lookup). */
    static int openat2(int dirfd, String path, int flags, int mode, long resolve) {
        Memory how = new Memory(24);
        how.setLong(0, flags | O_CLOEXEC);
        how.setLong(8, mode);
        how.setLong(16, resolve);
        for (int attempt = 0; ; attempt++) {
            try {
                return (int) C.syscall(SYS_OPENAT2, dirfd, path, how, 24);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EAGAIN || attempt > 20) {
                    throw e;
                }
            }
        }
    }

    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                C.close(fd);
            } catch (LastErrorException ignored) {
                // the descriptor is gone either way
            }
        }
    }
}
