package dev.muelle.engine.network;

import java.util.List;
import java.util.Map;

/** What clients ask of networks: the bodies of network create and connect, in Docker's terms. */
public final class NetworkRequests {

    private NetworkRequests() {
    }

    /**
     * {@code POST /networks/create}.
     *
     * @param checkDuplicate refuse a name already in use (the CLI always asks for it)
     * @param ipam           the IPAM.Config entries: at most one IPv4 subnet is supported
     */
    public record Create(String name, String driver, boolean checkDuplicate, boolean internal, boolean attachable,
                         boolean enableIpv6, List<Pool> ipam, Map<String, String> options,
                         Map<String, String> labels) {

        public Create {
            ipam = ipam == null ? List.of() : List.copyOf(ipam);
            options = options == null ? Map.of() : Map.copyOf(options);
            labels = labels == null ? Map.of() : Map.copyOf(labels);
        }
    }

    /** One IPAM.Config entry: {@code --subnet}, {@code --ip-range}, {@code --gateway} (each may be null). */
    public record Pool(String subnet, String ipRange, String gateway) {
    }

    /**
     * A container's wishes for one network ({@code EndpointSettings} in create's
     * NetworkingConfig and in connect's body): {@code --network-alias} and {@code --ip}.
     */
    public record Endpoint(List<String> aliases, String ipv4Address) {

        public static final Endpoint NONE = new Endpoint(List.of(), null);

        public Endpoint {
            aliases = aliases == null ? List.of() : List.copyOf(aliases);
            ipv4Address = ipv4Address == null || ipv4Address.isBlank() ? null : ipv4Address;
        }
    }
}
