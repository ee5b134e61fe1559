package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CgroupModeTest {

    @Test
    void hybridWhenV1ControllersAndCgroup2AtUnified() {
        String mountinfo = """
                31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
                35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
                41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
                """;
        assertThat(CgroupMode.parse(mountinfo)).isEqualTo(CgroupMode.HYBRID);
        assertThat(CgroupMode.HYBRID.usesV1Controllers()).isTrue();
    }

    @Test
    void unifiedWhenCgroup2IsMountedAtTheRoot() {
        String mountinfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
        assertThat(CgroupMode.parse(mountinfo)).isEqualTo(CgroupMode.UNIFIED);
        assertThat(CgroupMode.UNIFIED.usesV1Controllers()).isFalse();
    }

    @Test
    void legacyWithoutCgroup2() {
        String mountinfo = "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime shared:9 - cgroup cgroup rw,memory\n";
        assertThat(CgroupMode.parse(mountinfo)).isEqualTo(CgroupMode.LEGACY);
    }
}
