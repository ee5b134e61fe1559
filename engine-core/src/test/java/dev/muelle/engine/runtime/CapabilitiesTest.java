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
        assertThat(Capabilities.tweak(List.of(), List.of(), false, KERNEL_6, -1L))
                .hasSize(14).containsExactlyElementsOf(Capabilities.DOCKER_DEFAULT);
    }

    @Test
    void addAndDropAcceptDockersSpellings() {
        List<String> caps = Capabilities.tweak(List.of("net_admin", "CAP_SYS_PTRACE"), List.of("MKNOD", "cap_net_raw"), false, KERNEL_6, -1L);
        assertThat(caps).hasSize(14).contains("CAP_NET_ADMIN", "CAP_SYS_PTRACE").doesNotContain("CAP_MKNOD", "CAP_NET_RAW");
    }

    @Test
    void addingADefaultDoesNotDuplicateIt() {
        assertThat(Capabilities.tweak(List.of("CHOWN"), List.of(), false, KERNEL_6, -1L)).hasSize(14);
    }

    @Test
    void dropAllKeepsOnlyTheAdds() {
        assertThat(Capabilities.tweak(List.of("NET_BIND_SERVICE"), List.of("ALL"), false, KERNEL_6, -1L))
                .containsExactly("CAP_NET_BIND_SERVICE");
    }

    @Test
    void addAllGivesEverythingTheKernelKnowsButTheDrops() {
        List<String> caps = Capabilities.tweak(List.of("all"), List.of("SYS_ADMIN"), false, KERNEL_6, -1L);
        assertThat(caps).hasSize(40).doesNotContain("CAP_SYS_ADMIN").contains("CAP_CHECKPOINT_RESTORE");
    }

    @Test
    void privilegedGetsEveryCapabilityOfThisKernel() {
        assertThat(Capabilities.tweak(List.of(), List.of("ALL"), true, KERNEL_6, -1L)).hasSize(41);
        // An older kernel (cap_last_cap 37, 5.4) does not know CAP_PERFMON/BPF/CHECKPOINT_RESTORE.
        assertThat(Capabilities.tweak(List.of(), List.of(), true, 37, -1L)).hasSize(38).doesNotContain("CAP_BPF");
    }

    @Test
    void unknownCapabilityIsRejectedWithDockersWording() {
        assertThatThrownBy(() -> Capabilities.tweak(List.of("FOO"), List.of(), false, KERNEL_6, -1L))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("unknown capability: \"CAP_FOO\"");
    }

    @Test
    void allMeansWhatTheEngineItselfHolds() {
        long withoutSysResource = ~(1L << 24) & ((1L << 41) - 1);
        List<String> privileged = Capabilities.tweak(List.of(), List.of(), true, KERNEL_6, withoutSysResource);
        assertThat(privileged).hasSize(40).doesNotContain("CAP_SYS_RESOURCE").contains("CAP_SYS_ADMIN", "CAP_CHECKPOINT_RESTORE");
        assertThat(Capabilities.tweak(List.of("ALL"), List.of("NET_RAW"), false, KERNEL_6, withoutSysResource))
                .hasSize(39).doesNotContain("CAP_SYS_RESOURCE", "CAP_NET_RAW");
        // Named explicitly, it is asked for as given (runc then refuses, as under dockerd).
        assertThat(Capabilities.tweak(List.of("SYS_RESOURCE"), List.of(), false, KERNEL_6, withoutSysResource))
                .contains("CAP_SYS_RESOURCE");
    }

    @Test
    void theBoundingSetIsReadFromProcStatus() {
        assertThat(HostFacts.capBounding("Name:\tx\nCapBnd:\t000001fffeffffff\nSeccomp:\t0\n")).isEqualTo(0x1fffeffffffL);
        assertThat(HostFacts.capBounding("Name:\tx\n")).isEqualTo(-1L);
    }
}
