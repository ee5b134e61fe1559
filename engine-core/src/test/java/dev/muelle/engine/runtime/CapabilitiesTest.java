package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muelle.engine.errors.EngineException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilitiesTest {

    private static final int KERNEL_6 = 40;

    @Test
    void noFlagsGivesDockersFourteen() {
        assertThat(Capabilities.tweak(List.of(), List.of(), false, KERNEL_6))
                .hasSize(14).containsExactlyElementsOf(Capabilities.DOCKER_DEFAULT);
    }

    @Test
    void addAndDropAcceptDockersSpellings() {
        List<String> caps = Capabilities.tweak(List.of("net_admin", "CAP_SYS_PTRACE"), List.of("MKNOD", "cap_net_raw"), false, KERNEL_6);
        assertThat(caps).hasSize(14).contains("CAP_NET_ADMIN", "CAP_SYS_PTRACE").doesNotContain("CAP_MKNOD", "CAP_NET_RAW");
    }

    @Test
    void addingADefaultDoesNotDuplicateIt() {
        assertThat(Capabilities.tweak(List.of("CHOWN"), List.of(), false, KERNEL_6)).hasSize(14);
    }

    @Test
    void dropAllKeepsOnlyTheAdds() {
        assertThat(Capabilities.tweak(List.of("NET_BIND_SERVICE"), List.of("ALL"), false, KERNEL_6))
                .containsExactly("CAP_NET_BIND_SERVICE");
    }

    @Test
    void addAllGivesEverythingTheKernelKnowsButTheDrops() {
        List<String> caps = Capabilities.tweak(List.of("all"), List.of("SYS_ADMIN"), false, KERNEL_6);
        assertThat(caps).hasSize(40).doesNotContain("CAP_SYS_ADMIN").contains("CAP_CHECKPOINT_RESTORE");
    }

    @Test
    void privilegedGetsEveryCapabilityOfThisKernel() {
        assertThat(Capabilities.tweak(List.of(), List.of("ALL"), true, KERNEL_6)).hasSize(41);
        // An older kernel (cap_last_cap 37, 5.4) does not know CAP_PERFMON/BPF/CHECKPOINT_RESTORE.
        assertThat(Capabilities.tweak(List.of(), List.of(), true, 37)).hasSize(38).doesNotContain("CAP_BPF");
    }

    @Test
    void unknownCapabilityIsRejectedWithDockersWording() {
        assertThatThrownBy(() -> Capabilities.tweak(List.of("FOO"), List.of(), false, KERNEL_6))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("unknown capability: \"CAP_FOO\"");
    }
}
