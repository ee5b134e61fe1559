package dev.muelle.engine.network;

/**
 * How the network service sees containers without depending on the container service (which
 * depends on it): lookup by reference for {@code network connect}/{@code disconnect} and
 * {@code --network container:x}.
 */
public interface ContainerDirectory {

    /** The container {@code ref} names (ID, name, or unique ID prefix); throws NotFound otherwise. */
    Member find(String ref);

    /**
     * What networking needs to know of a container.
     *
     * @param name        without the leading slash
     * @param networkMode its HostConfig.NetworkMode ("bridge", "host", "none", "container:x" or a network)
     * @param pid         its main process while it runs, else 0
     */
    record Member(String id, String name, String networkMode, boolean running, int pid) {
    }
}
