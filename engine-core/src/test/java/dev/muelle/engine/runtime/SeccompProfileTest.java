package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class SeccompProfileTest {

    private final SeccompProfile profile = SeccompProfile.dockerDefault();

    @Test
    void keepsDefaultActionAndTheX86Architectures() {
        ObjectNode oci = profile.toOci(Capabilities.DOCKER_DEFAULT, "amd64", "6.1.0-18-amd64");
        assertThat(oci.get("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(oci.get("defaultErrnoRet").asInt()).isEqualTo(1);
        assertThat(texts(oci.get("architectures"))).containsExactly("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32");
        assertThat(oci.toString()).doesNotContain("includes", "excludes", "comment");
    }

    @Test
    void defaultCapabilitiesKeepMountAndFriendsBlocked() {
        ObjectNode oci = profile.toOci(Capabilities.DOCKER_DEFAULT, "amd64", "6.1.0");
        List<String> allowed = allowedNames(oci);
        assertThat(allowed).contains("read", "chroot", "arch_prctl", "ptrace")
                .doesNotContain("mount", "umount2", "reboot", "init_module", "s390_runtime_instr", "arm_fadvise64_64");
        // Without CAP_SYS_ADMIN, clone is allowed only without namespace flags and clone3 gets ENOSYS.
        assertThat(rulesFor(oci, "clone")).singleElement().satisfies(r -> assertThat(r.has("args")).isTrue());
        assertThat(rulesFor(oci, "clone3")).singleElement()
                .satisfies(r -> assertThat(r.get("errnoRet").asInt()).isEqualTo(38));
    }

    @Test
    void capAddSysAdminUnlocksItsSyscallsAndDropsTheRestrictedForms() {
        List<String> caps = new ArrayList<>(Capabilities.DOCKER_DEFAULT);
        caps.add("CAP_SYS_ADMIN");
        ObjectNode oci = profile.toOci(caps, "amd64", "6.1.0");
        assertThat(allowedNames(oci)).contains("mount", "umount2", "setns", "unshare");
        assertThat(rulesFor(oci, "clone")).noneMatch(r -> r.has("args"));
        assertThat(rulesFor(oci, "clone3")).allMatch(r -> r.get("action").asText().equals("SCMP_ACT_ALLOW"));
    }

    @Test
    void droppingSysChrootRemovesChroot() {
        List<String> caps = new ArrayList<>(Capabilities.DOCKER_DEFAULT);
        caps.remove("CAP_SYS_CHROOT");
        assertThat(allowedNames(profile.toOci(caps, "amd64", "6.1.0"))).doesNotContain("chroot");
    }

    @Test
    void minKernelRulesFollowTheHostKernel() {
        assertThat(allowedNames(profile.toOci(Capabilities.DOCKER_DEFAULT, "amd64", "4.4.0-210-generic")))
                .doesNotContain("ptrace").contains("read");
        assertThat(allowedNames(profile.toOci(Capabilities.DOCKER_DEFAULT, "amd64", "4.8.0"))).contains("ptrace");
    }

    @Test
    void arm64GetsItsOwnArchitecturesAndSyscalls() {
        ObjectNode oci = profile.toOci(Capabilities.DOCKER_DEFAULT, "arm64", "6.1.0");
        assertThat(texts(oci.get("architectures"))).containsExactly("SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM");
        assertThat(allowedNames(oci)).contains("arm_fadvise64_64").doesNotContain("arch_prctl");
    }

    @Test
    void kernelVersionParsesReleaseStrings() {
        assertThat(SeccompProfile.kernelVersion("6.18.44-fc-v657")).containsExactly(6, 18);
        assertThat(SeccompProfile.kernelVersion("4.8")).containsExactly(4, 8);
    }

    private static List<String> allowedNames(ObjectNode oci) {
        List<String> names = new ArrayList<>();
        for (JsonNode rule : oci.get("syscalls")) {
            if (rule.get("action").asText().equals("SCMP_ACT_ALLOW")) {
                names.addAll(texts(rule.get("names")));
            }
        }
        return names;
    }

    private static List<JsonNode> rulesFor(ObjectNode oci, String syscall) {
        return StreamSupport.stream(oci.get("syscalls").spliterator(), false)
                .filter(r -> texts(r.get("names")).contains(syscall)).toList();
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
