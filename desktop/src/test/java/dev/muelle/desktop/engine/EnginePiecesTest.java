package dev.muelle.desktop.engine;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of the docker-java client that do their own reading: tar listings, log frames, messages. */
class EnginePiecesTest {

    private static byte[] tar(String... names) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (String name : names) {
                if (name.contains(" -> ")) {
                    TarArchiveEntry e = new TarArchiveEntry(name.substring(0, name.indexOf(" -> ")), TarArchiveEntry.LF_SYMLINK);
                    e.setLinkName(name.substring(name.indexOf(" -> ") + 4));
                    tar.putArchiveEntry(e);
                } else {
                    TarArchiveEntry e = new TarArchiveEntry(name);
                    byte[] body = name.endsWith("/") ? new byte[0] : "content".getBytes(StandardCharsets.UTF_8);
                    e.setSize(body.length);
                    e.setMode(name.endsWith("/") ? 040755 : 0100644);
                    tar.putArchiveEntry(e);
                    tar.write(body);
                }
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void archiveListingKeepsDirectChildrenDirectoriesFirst() throws IOException {
        byte[] t = tar("etc/", "etc/passwd", "etc/ssl/", "etc/ssl/certs/", "etc/ssl/certs/ca.pem", "etc/mtab -> /proc/mounts");
        List<FileEntry> entries = ArchiveListing.entries("/etc", new ByteArrayInputStream(t));
        assertThat(entries).extracting(FileEntry::name).containsExactly("ssl", "mtab", "passwd");
        assertThat(entries.get(0).path()).isEqualTo("/etc/ssl");
        assertThat(entries.get(0).directory()).isTrue();
        assertThat(entries.get(1).kind()).isEqualTo(FileEntry.Kind.SYMLINK);
        assertThat(entries.get(1).linkTarget()).isEqualTo("/proc/mounts");
        assertThat(entries.get(2).mode()).isEqualTo("-rw-r--r--");
        assertThat(entries.get(2).size()).isEqualTo(7);
    }

    @Test
    void archiveListingOfTheRoot() throws IOException {
        byte[] t = tar("bin/", "bin/sh", "etc/", "etc/hosts");
        assertThat(ArchiveListing.entries("/", new ByteArrayInputStream(t))).extracting(FileEntry::path)
                .containsExactly("/bin", "/etc");
    }

    @Test
    void logFramesBecomeWholeLinesPerStream() {
        List<LogLine> lines = new ArrayList<>();
        LogLineSplitter s = new LogLineSplitter(true, lines::add);
        s.accept("stdout", "2026-11-27T10:00:00.1Z hel".getBytes(StandardCharsets.UTF_8));
        s.accept("stderr", "2026-11-27T10:00:00.2Z oops\n".getBytes(StandardCharsets.UTF_8));
        s.accept("stdout", "lo\r\n2026-11-27T10:00:00.3Z two\nthree".getBytes(StandardCharsets.UTF_8));
        s.flush();
        assertThat(lines).containsExactly(
                new LogLine("stderr", "2026-11-27T10:00:00.2Z", "oops"),
                new LogLine("stdout", "2026-11-27T10:00:00.1Z", "hello"),
                new LogLine("stdout", "2026-11-27T10:00:00.3Z", "two"),
                new LogLine("stdout", null, "three"));
    }

    @Test
    void engineMessagesLoseTheirHttpFraming() {
        assertThat(DockerJavaEngineClient.engineMessage("Status 404: {\"message\":\"No such container: web\"}\n"))
                .isEqualTo("No such container: web");
        assertThat(DockerJavaEngineClient.engineMessage("Status 409: {\"message\":\"name \\\"/web\\\" in use\"}"))
                .isEqualTo("name \"/web\" in use");
        assertThat(DockerJavaEngineClient.engineMessage("Status 500: plain")).isEqualTo("plain");
    }

    @Test
    void imageReferencesSplitLikeDocker() {
        assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("busybox", "latest"));
        assertThat(ImageReference.parse("localhost:5000/app")).isEqualTo(new ImageReference("localhost:5000/app", "latest"));
        assertThat(ImageReference.parse("localhost:5000/app:1.0")).isEqualTo(new ImageReference("localhost:5000/app", "1.0"));
        assertThat(ImageReference.parse("app@sha256:abc").toString()).isEqualTo("app@sha256:abc");
    }

    @Test
    void portsReadLikeDockerPs() {
        assertThat(new PublishedPort("0.0.0.0", 80, 8080, "tcp").label()).isEqualTo("0.0.0.0:8080->80/tcp");
        assertThat(new PublishedPort("0.0.0.0", 80, 8080, "tcp").url()).isEqualTo("http://localhost:8080");
        assertThat(new PublishedPort("::", 80, 8080, "tcp").url()).isEqualTo("http://localhost:8080");
        assertThat(new PublishedPort("", 53, 5353, "udp").url()).isNull();
        assertThat(new PublishedPort(null, 80, null, "tcp").label()).isEqualTo("80/tcp");
    }

    @Test
    void bytePipeDeliversInOrderAcrossThreadsAndEnds() throws Exception {
        BytePipe pipe = new BytePipe();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    pipe.sink().write(("" + i + ",").getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
            pipe.closeWriter();
        });
        writer.start();
        String all = new String(pipe.source().readAllBytes(), StandardCharsets.UTF_8);
        writer.join();
        assertThat(all).startsWith("0,1,2,").endsWith("98,99,");
    }
}
