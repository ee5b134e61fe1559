package dev.muelle.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.RuntimeSpec.Ulimit;
import org.junit.jupiter.api.Test;

class HostLimitsTest {

    /** /proc/self/limits as seen on the build machines (root without CAP_SYS_RESOURCE). */
    static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max stack size            8388608              unlimited            bytes
            Max core file size        0                    unlimited            bytes
            Max processes             96365                96365                processes
            Max open files            20000                20000                files
            Max locked memory         8388608              8388608              bytes
            Max realtime timeout      unlimited            unlimited            us
            """;

    private final HostLimits limits = HostLimits.parse(LIMITS);

    @Test
    void readsHardLimitsByDockerUlimitName() {
        assertThat(limits.hard("nofile")).isEqualTo(20000);
        assertThat(limits.hard("nproc")).isEqualTo(96365);
        assertThat(limits.hard("core")).isEqualTo(HostLimits.UNLIMITED);
        assertThat(limits.hard("rttime")).isEqualTo(HostLimits.UNLIMITED);
    }

    @Test
    void clampsDockersNofileToTheEnginesHardLimit() {
        assertThat(limits.clamp(new Ulimit("nofile", 1048576, 1048576))).isEqualTo(new Ulimit("nofile", 20000, 20000));
    }

    @Test
    void keepsRequestsBelowTheHostLimitAndLowersSoftUnderHard() {
        assertThat(limits.clamp(new Ulimit("nofile", 1024, 4096))).isEqualTo(new Ulimit("nofile", 1024, 4096));
        assertThat(limits.clamp(new Ulimit("nproc", 200000, 100))).isEqualTo(new Ulimit("nproc", 100, 100));
    }

    @Test
    void unlimitedRequestBecomesTheHostLimitUnlessTheHostIsUnlimitedToo() {
        assertThat(limits.clamp(new Ulimit("memlock", -1, -1))).isEqualTo(new Ulimit("memlock", 8388608, 8388608));
        assertThat(limits.clamp(new Ulimit("core", -1, -1))).isEqualTo(new Ulimit("core", -1, -1));
    }

    @Test
    void unknownUlimitNameIsRejected() {
        assertThatThrownBy(() -> limits.clamp(new Ulimit("bogus", 1, 1)))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("invalid ulimit type: bogus");
    }

    @Test
    void readsThisProcess() {
        assertThat(HostLimits.ofThisProcess().hard("nofile")).isNotZero();
    }
}
