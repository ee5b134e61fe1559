package dev.muelle.engine.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The few libc calls the JDK lacks and conmon needs: spawning with extra inherited file descriptors
 * (conmon's {@code _OCI_SYNCPIPE}, {@code _OCI_STARTPIPE}, {@code _OCI_ATTACHPIPE}), raw pipes with
 * poll timeouts, {@code SOCK_SEQPACKET} unix sockets and non-blocking FIFO opens. Linux/glibc x86_64
 * only; every method either succeeds or throws {@link IOException} naming the call and errno.
 */
final class Posix {

    static final int O_RDONLY = 0;
    static final int O_WRONLY = 1;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int F_DUPFD_CLOEXEC = 1030;
    static final int AF_UNIX = 1;
    static final int SOCK_SEQPACKET = 5;
    static final int SHUT_WR = 1;
    static final int SHUT_RDWR = 2;
    static final int MSG_NOSIGNAL = 0x4000;
    static final short POLLIN = 0x1;
    static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final int EINTR = 4;

    /** glibc's opaque spawn structs are 80 and 336 bytes on x86_64; sigset_t is 128. Over-allocate. */
    private static final int SPAWN_STRUCT_BYTES = 512;

    interface LibC extends Library {
        int pipe2(int[] fds, int flags) throws LastErrorException;

        int fcntl(int fd, int cmd, int arg) throws LastErrorException;

        int close(int fd) throws LastErrorException;

        long read(int fd, byte[] buf, long count) throws LastErrorException;

        long write(int fd, byte[] buf, long count) throws LastErrorException;

        int poll(Pointer fds, long nfds, int timeoutMillis) throws LastErrorException;

        int open(String path, int flags, int mode) throws LastErrorException;

        int waitpid(int pid, IntByReference status, int options) throws LastErrorException;

        int socket(int domain, int type, int protocol) throws LastErrorException;

        int connect(int fd, byte[] addr, int len) throws LastErrorException;

        long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        int shutdown(int fd, int how) throws LastErrorException;

        // posix_spawn and friends return an error number instead of setting errno.
        int posix_spawn(IntByReference pid, String path, Pointer fileActions, Pointer attr, String[] argv, String[] envp);

        int posix_spawn_file_actions_init(Pointer fa);

        int posix_spawn_file_actions_destroy(Pointer fa);

        int posix_spawn_file_actions_adddup2(Pointer fa, int fd, int newFd);

        int posix_spawn_file_actions_addopen(Pointer fa, int fd, String path, int flags, int mode);

        int posix_spawn_file_actions_addchdir_np(Pointer fa, String path);

        int posix_spawn_file_actions_addclosefrom_np(Pointer fa, int from);

        int posix_spawnattr_init(Pointer attr);

        int posix_spawnattr_destroy(Pointer attr);

        int posix_spawnattr_setflags(Pointer attr, short flags);

        int posix_spawnattr_setsigmask(Pointer attr, Pointer set);

        int posix_spawnattr_setsigdefault(Pointer attr, Pointer set);

        int sigemptyset(Pointer set);

        int sigfillset(Pointer set);

        String strerror(int errnum);
    }

    static final LibC C = Native.load("c", LibC.class);

    private Posix() {
    }

    /** A pipe whose ends are close-on-exec and numbered above 9, so dup2 onto 0..9 never collides. */
    static int[] pipe() throws IOException {
        int[] fds = new int[2];
        try {
            C.pipe2(fds, O_CLOEXEC);
            fds[0] = highFd(fds[0]);
            fds[1] = highFd(fds[1]);
            return fds;
        } catch (LastErrorException e) {
            throw failure("pipe2", e);
        }
    }

    private static int highFd(int fd) {
        if (fd >= 10) {
            return fd;
        }
        int moved = C.fcntl(fd, F_DUPFD_CLOEXEC, 10);
        C.close(fd);
        return moved;
    }

    /**
     * Starts {@code argv[0]} with stdin from /dev/null, stdout+stderr into {@code outputFd}, each
     * {@code inherit[i]} as fd {@code 3 + i}, every other descriptor closed, default signal
     * dispositions and an empty signal mask (the JVM's are not conmon's business).
     */
    static int spawn(String[] argv, String[] envp, String cwd, int outputFd, int... inherit) throws IOException {
        Memory fa = new Memory(SPAWN_STRUCT_BYTES);
        Memory attr = new Memory(SPAWN_STRUCT_BYTES);
        Memory empty = new Memory(SPAWN_STRUCT_BYTES);
        Memory all = new Memory(SPAWN_STRUCT_BYTES);
        check("posix_spawn_file_actions_init", C.posix_spawn_file_actions_init(fa));
        check("posix_spawnattr_init", C.posix_spawnattr_init(attr));
        try {
            check("addopen", C.posix_spawn_file_actions_addopen(fa, 0, "/dev/null", O_RDONLY, 0));
            check("adddup2", C.posix_spawn_file_actions_adddup2(fa, outputFd, 1));
            check("adddup2", C.posix_spawn_file_actions_adddup2(fa, outputFd, 2));
            for (int i = 0; i < inherit.length; i++) {
                check("adddup2", C.posix_spawn_file_actions_adddup2(fa, inherit[i], 3 + i));
            }
            check("addclosefrom_np", C.posix_spawn_file_actions_addclosefrom_np(fa, 3 + inherit.length));
            if (cwd != null) {
                check("addchdir_np", C.posix_spawn_file_actions_addchdir_np(fa, cwd));
            }
            C.sigemptyset(empty);
            C.sigfillset(all);
            check("setsigmask", C.posix_spawnattr_setsigmask(attr, empty));
            check("setsigdefault", C.posix_spawnattr_setsigdefault(attr, all));
            check("setflags", C.posix_spawnattr_setflags(attr, (short) (POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)));
            IntByReference pid = new IntByReference();
            int rc = C.posix_spawn(pid, argv[0], fa, attr, argv, envp);
            if (rc != 0) {
                throw new IOException("posix_spawn " + argv[0] + ": " + C.strerror(rc));
            }
            return pid.getValue();
        } finally {
            C.posix_spawn_file_actions_destroy(fa);
            C.posix_spawnattr_destroy(attr);
        }
    }

    /** Reaps a child; returns its exit status (or 128+signal). */
    static int waitFor(int pid) throws IOException {
        IntByReference status = new IntByReference();
        while (true) {
            try {
                C.waitpid(pid, status, 0);
                int s = status.getValue();
                int signal = s & 0x7f;
                return signal == 0 ? (s >> 8) & 0xff : 128 + signal;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("waitpid " + pid, e);
                }
            }
        }
    }

    /** Waits up to {@code timeoutMillis} (-1 forever) for {@code fd} to be readable or hung up. */
    static boolean awaitReadable(int fd, int timeoutMillis) throws IOException {
        Memory pfd = new Memory(8);
        pfd.setInt(0, fd);
        pfd.setShort(4, POLLIN);
        pfd.setShort(6, (short) 0);
        while (true) {
            try {
                return C.poll(pfd, 1, timeoutMillis) > 0;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("poll", e);
                }
            }
        }
    }

    /** read(2), retried on EINTR; 0 means end of file. */
    static int read(int fd, byte[] buf) throws IOException {
        while (true) {
            try {
                return (int) C.read(fd, buf, buf.length);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("read", e);
                }
            }
        }
    }

    static void writeFully(int fd, byte[] buf) throws IOException {
        try {
            long n = C.write(fd, buf, buf.length);
            if (n != buf.length) {
                throw new IOException("short write to fd " + fd);
            }
        } catch (LastErrorException e) {
            throw failure("write", e);
        }
    }

    static void closeQuietly(int fd) {
        if (fd >= 0) {
            try {
                C.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing useful to do: the descriptor is gone either way.
            }
        }
    }

    /**
     * Opens a FIFO for writing without blocking: fails with ENXIO (as an IOException) when nobody
     * holds the read end, i.e. when conmon is gone, instead of hanging forever.
     */
    static int openFifoForWrite(String path) throws IOException {
        try {
            return C.open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure("open " + path, e);
        }
    }

    /** A connected {@code SOCK_SEQPACKET} unix socket; {@code path} must fit sun_path (107 bytes). */
    static int connectSeqpacket(String path) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (name.length > 107) {
            throw new IOException("unix socket path too long (" + name.length + " bytes): " + path);
        }
        byte[] addr = new byte[110];
        addr[0] = (byte) AF_UNIX; // sa_family_t, little-endian
        System.arraycopy(name, 0, addr, 2, name.length);
        int fd;
        try {
            fd = C.socket(AF_UNIX, SOCK_SEQPACKET | O_CLOEXEC, 0);
        } catch (LastErrorException e) {
            throw failure("socket", e);
        }
        try {
            C.connect(fd, addr, addr.length);
            return fd;
        } catch (LastErrorException e) {
            closeQuietly(fd);
            throw failure("connect " + path, e);
        }
    }

    static int recv(int fd, byte[] buf) throws IOException {
        while (true) {
            try {
                return (int) C.recv(fd, buf, buf.length, 0);
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw failure("recv", e);
                }
            }
        }
    }

    static void send(int fd, byte[] buf) throws IOException {
        try {
            C.send(fd, buf, buf.length, MSG_NOSIGNAL);
        } catch (LastErrorException e) {
            throw failure("send", e);
        }
    }

    static void shutdown(int fd, int how) {
        try {
            C.shutdown(fd, how);
        } catch (LastErrorException ignored) {
            // Already disconnected: the peer is gone, which is what shutdown wanted anyway.
        }
    }

    private static void check(String call, int rc) throws IOException {
        if (rc != 0) {
            throw new IOException(call + ": " + C.strerror(rc));
        }
    }

    private static IOException failure(String call, LastErrorException e) {
        return new IOException(call + ": " + C.strerror(e.getErrorCode()), e);
    }
}
