package dev.muelle.engine.container;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.runtime.CgroupMode;
import dev.muelle.engine.runtime.DeviceCgroupRule;
import dev.muelle.engine.runtime.RuntimeSpec;
import dev.muelle.engine.runtime.RuntimeSpec.HostSettings;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Docker's {@code --pid}, {@code --ipc}, {@code --cgroupns}, {@code --shm-size}, {@code --device},
 * {@code --device-cgroup-rule} and {@code --oom-score-adj}: checked and defaulted at create with
 * dockerd's wording, turned into {@link HostSettings} at start. Joining another container's
 * namespace means its running process's {@code /proc/<pid>/ns/...}; a shareable container's
 * /dev/shm is a tmpfs on the host (see {@link ContainerFiles#mountShareableShm}) that it and its
 * guests bind-mount, unmounted when it stops.
 */
final class SharedNamespaces {

    private static final String CONTAINER = "container:";

    private SharedNamespaces() {
    }

    /** Create-time checks and the defaults dockerd shows in inspect (IpcMode private, ShmSize 64 MiB ...). */
    static void validateAndDefault(HostConfig hc) {
        String ipc = hc.IpcMode == null ? "" : hc.IpcMode;
        if (!(ipc.isEmpty() || List.of("private", "shareable", "host", "none").contains(ipc)
                || ipc.startsWith(CONTAINER) && ipc.length() > CONTAINER.length())) {
            throw new EngineException.InvalidParameter("Invalid IPC mode: " + ipc);
        }
        String pid = hc.PidMode == null ? "" : hc.PidMode;
        if (!(pid.isEmpty() || pid.equals("host") || pid.startsWith(CONTAINER) && pid.length() > CONTAINER.length())) {
            throw new EngineException.InvalidParameter("Invalid PID mode: " + pid);
        }
        String cgroupns = hc.CgroupnsMode == null ? "" : hc.CgroupnsMode;
        if (!List.of("", "host", "private").contains(cgroupns)) {
            throw new EngineException.InvalidParameter("invalid cgroup namespace mode: " + cgroupns);
        }
        if (hc.ShmSize != null && hc.ShmSize < 0) {
            throw new EngineException.InvalidParameter("SHM size can not be less than 0");
        }
        if (hc.OomScoreAdj != null && (hc.OomScoreAdj < -1000 || hc.OomScoreAdj > 1000)) {
            throw new EngineException.InvalidParameter("Invalid value " + hc.OomScoreAdj
                    + ", range for oom score adj is [-1000, 1000]");
        }
        if (hc.DeviceCgroupRules != null) {
            hc.DeviceCgroupRules.forEach(DeviceCgroupRule::parse);
        }
        if (ipc.isEmpty()) {
            hc.IpcMode = "private";
        }
        if (hc.ShmSize == null || hc.ShmSize == 0) {
            hc.ShmSize = HostSettings.DEFAULT_SHM_SIZE;
        }
        if (cgroupns.isEmpty()) {
            hc.CgroupnsMode = CgroupMode.detect() == CgroupMode.UNIFIED ? "private" : "host";
        }
    }

    /** The runtime's view, looking up donor containers with {@code containers}. */
    static HostSettings resolve(HostConfig hc, Function<String, Container> containers,
                                Function<Container, java.nio.file.Path> shareableShm, Container self) {
        String pidNs = null;
        String pid = hc.PidMode == null ? "" : hc.PidMode;
        if (pid.equals("host")) {
            pidNs = RuntimeSpec.HOST_NAMESPACE;
        } else if (pid.startsWith(CONTAINER)) {
            pidNs = "/proc/" + donorPid(containers, pid.substring(CONTAINER.length()), "PID") + "/ns/pid";
        }
        String ipcNs = null;
        String shm = HostSettings.SHM_TMPFS;
        String ipc = hc.IpcMode == null ? "" : hc.IpcMode;
        if (ipc.equals("host")) {
            ipcNs = RuntimeSpec.HOST_NAMESPACE;
            shm = "/dev/shm";
        } else if (ipc.equals("none")) {
            shm = HostSettings.SHM_NONE;
        } else if (ipc.equals("shareable")) {
            shm = shareableShm.apply(self).toString();
        } else if (ipc.startsWith(CONTAINER)) {
            String ref = ipc.substring(CONTAINER.length());
            Container donor = containers.apply(ref);
            String mode = donor.HostConfig.IpcMode == null ? "" : donor.HostConfig.IpcMode;
            if (!mode.equals("shareable") && !mode.equals("host")) {
                throw new EngineException.Conflict("can't join IPC of container " + donor.Id
                        + ": non-shareable IPC (hint: use IpcMode:shareable for the donor container)");
            }
            int donorPid = donorPid(containers, ref, "IPC");
            ipcNs = "/proc/" + donorPid + "/ns/ipc";
            shm = mode.equals("host") ? "/dev/shm" : shareableShm.apply(donor).toString();
        }
        List<RuntimeSpec.Device> devices = new ArrayList<>();
        if (hc.Devices != null) {
            for (HostConfig.DeviceMapping d : hc.Devices) {
                String inContainer = d.PathInContainer == null || d.PathInContainer.isEmpty() ? d.PathOnHost : d.PathInContainer;
                String perms = d.CgroupPermissions == null || d.CgroupPermissions.isEmpty() ? "rwm" : d.CgroupPermissions;
                devices.add(new RuntimeSpec.Device(d.PathOnHost, inContainer, perms));
            }
        }
        return new HostSettings(pidNs, ipcNs, shm, hc.ShmSize == null ? 0 : hc.ShmSize,
                hc.CgroupnsMode == null ? "" : hc.CgroupnsMode, devices, hc.DeviceCgroupRules,
                hc.OomScoreAdj == null ? 0 : hc.OomScoreAdj);
    }

    private static int donorPid(Function<String, Container> containers, String ref, String what) {
        Container donor = containers.apply(ref);
        if (!donor.State.Running || donor.State.Pid <= 0) {
            throw new EngineException.Conflict("cannot join " + what + " of a non running container: " + donor.Id);
        }
        return donor.State.Pid;
    }
}
