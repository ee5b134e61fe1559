package dev.muelle.desktop.containers;

import com.techsenger.jeditermfx.core.TtyConnector;
import com.techsenger.jeditermfx.core.util.TermSize;
import dev.muelle.desktop.engine.ExecSession;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * Connects the terminal widget to an exec session: what the widget types goes to the process's
 * stdin, the process's TTY output comes back as characters, and widget resizes become exec
 * resizes (so full-screen programs redraw at the right size).
 */
final class ExecTtyConnector implements TtyConnector {

    private final ExecSession session;
    private final Reader output;
    private final String name;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile boolean connected = true;

    ExecTtyConnector(ExecSession session, String name) {
        this.session = session;
        this.output = new InputStreamReader(session.output(), StandardCharsets.UTF_8);
        this.name = name;
    }

    @Override
    public int read(char[] buf, int offset, int length) throws IOException {
        int n = output.read(buf, offset, length);
        if (n < 0) {
            ended();
        }
        return n;
    }

    @Override
    public void write(byte[] bytes) throws IOException {
        session.input().write(bytes);
        session.input().flush();
    }

    @Override
    public void write(String string) throws IOException {
        write(string.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean isConnected() {
        return connected;
    }

    @Override
    public void resize(TermSize size) {
        session.resize(size.getColumns(), size.getRows());
    }

    @Override
    public int waitFor() throws InterruptedException {
        ended.await();
        return 0;
    }

    @Override
    public boolean ready() throws IOException {
        return output.ready();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public void close() {
        ended();
        session.close();
    }

    private void ended() {
        connected = false;
        ended.countDown();
    }
}
