package dev.muelle.engine.system;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ProcFilesTest {

    /** On recent kernels {@code Files.readString} gives "4" for cap_last_cap's "40"; cat gives it all. */
    @Test
    void sysctlValuesAreReadWhole() throws Exception {
        for (String file : new String[] {"/proc/sys/kernel/cap_last_cap", "/proc/sys/kernel/pid_max",
                "/proc/sys/net/ipv4/ip_local_port_range"}) {
            Process cat = new ProcessBuilder("cat", file).start();
            String expected = new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(cat.waitFor()).isZero();
            assertThat(ProcFiles.read(Path.of(file))).as(file).isEqualTo(expected);
        }
    }
}
