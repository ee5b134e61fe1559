package dev.muelle.engine.network;

import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.events.EventBus;
import dev.muelle.engine.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The network service's bookkeeping over a real SQLite database: predefined networks, pools,
 * overlaps, filters, memberships, removal rules. Wiring namespaces needs root and is covered by
 * NetworkIT.
 */
class NetworkServiceTest {

    @TempDir
    Path dir;

    private NetworkService open() {
        NetworkService s = new NetworkService(Database.open(dir.resolve("m.db")), dir.resolve("exec"), new EventBus());
        s.setContainers(ref -> new ContainerDirectory.Member(ref.repeat(64 / ref.length() + 1).substring(0, 64), ref,
                "bridge", false, 0));
        return s;
    }

    private static NetworkRequests.Create create(String name, String subnet) {
        return new NetworkRequests.Create(name, null, true, false, false, false,
                subnet == null ? List.of() : List.of(new NetworkRequests.Pool(subnet, null, null)), Map.of(),
                Map.of("team", "net"));
    }

    @Test
    void predefinedNetworksExistOnceAndKeepTheirIds() {
        NetworkService s = open();
        String bridgeId = s.get("bridge").id();
        assertThat(s.list(Map.of()).stream().map(Network::name)).containsExactly("bridge", "host", "none");
        NetworkService again = open();
        assertThat(again.get("bridge").id()).isEqualTo(bridgeId);
        assertThat(again.get("bridge").subnet()).isEqualTo("10.88.0.0/16");
        assertThatThrownBy(() -> again.remove("host")).isInstanceOf(EngineException.Forbidden.class)
                .hasMessage("host is a pre-defined network and cannot be removed");
    }

    @Test
    void userNetworksGetTheirOwnPoolAndRefuseOverlaps() {
        NetworkService s = open();
        Network a = s.create(create("a", "10.201.5.0/24"));
        assertThat(a.gateway()).isEqualTo("10.201.5.1");
        assertThat(a.bridgeName()).isEqualTo("br-" + a.id().substring(0, 12));
        Network b = s.create(create("b", null));
        assertThat(Ipv4Subnet.parse(b.subnet()).overlaps(Ipv4Subnet.parse("10.88.0.0/16"))).isFalse();
        Network c = s.create(create("c", null));
        assertThat(Ipv4Subnet.parse(c.subnet()).overlaps(Ipv4Subnet.parse(b.subnet()))).isFalse();
        assertThatThrownBy(() -> s.create(create("d", "10.201.5.128/25")))
                .isInstanceOf(EngineException.Forbidden.class)
                .hasMessage("Pool overlaps with other one on this address space");
        assertThatThrownBy(() -> s.create(create("a", null))).isInstanceOf(EngineException.Conflict.class)
                .hasMessage("network with name a already exists");
        assertThat(s.get(a.id().substring(0, 6))).isEqualTo(a);
        assertThatThrownBy(() -> s.get("zzz")).hasMessage("network zzz not found");
    }

    @Test
    void filters() {
        NetworkService s = open();
        s.create(create("web-net", null));
        assertThat(s.list(Map.of("type", List.of("custom"))).stream().map(Network::name)).containsExactly("web-net");
        assertThat(s.list(Map.of("label", List.of("team=net"))).stream().map(Network::name)).containsExactly("web-net");
        assertThat(s.list(Map.of("label", List.of("team=other")))).isEmpty();
        assertThat(s.list(Map.of("driver", List.of("null"))).stream().map(Network::name)).containsExactly("none");
        assertThat(s.list(Map.of("name", List.of("web"))).stream().map(Network::name)).containsExactly("web-net");
        assertThat(s.list(Map.of("dangling", List.of("true"))).stream().map(Network::name)).containsExactly("web-net");
        assertThatThrownBy(() -> s.list(Map.of("colour", List.of("red")))).hasMessage("Invalid filter 'colour'");
    }

    @Test
    void membershipRulesAtCreate() {
        NetworkService s = open();
        Network n = s.create(create("n1", "10.201.6.0/24"));
        s.join("c".repeat(64), "c1", "n1", Map.of("n1", new NetworkRequests.Endpoint(List.of("db"), "10.201.6.9")));
        Endpoint e = s.endpointsOf("c".repeat(64)).get(0);
        assertThat(e.networkId()).isEqualTo(n.id());
        assertThat(e.aliases()).containsExactly("db");
        assertThat(e.active()).isFalse();
        assertThatThrownBy(() -> s.join("d".repeat(64), "c2", "bridge",
                Map.of("bridge", new NetworkRequests.Endpoint(List.of("x"), null))))
                .hasMessage("network-scoped alias is supported only for containers in user defined networks");
        assertThatThrownBy(() -> s.join("d".repeat(64), "c2", "n1",
                Map.of("n1", new NetworkRequests.Endpoint(List.of(), "10.9.9.9"))))
                .hasMessage("no configured subnet contains IP address 10.9.9.9");
        assertThatThrownBy(() -> s.join("d".repeat(64), "c2", "nope", Map.of()))
                .isInstanceOf(EngineException.InvalidParameter.class).hasMessage("network nope not found");
        s.join("e".repeat(64), "c3", "host", Map.of());
        assertThat(s.endpointsOf("e".repeat(64))).isEmpty();

        // A stopped member does not keep the network; pruning takes it and the membership.
        assertThat(s.prune(Map.of())).containsExactly("n1");
        assertThat(s.endpointsOf("c".repeat(64))).isEmpty();
    }
}
