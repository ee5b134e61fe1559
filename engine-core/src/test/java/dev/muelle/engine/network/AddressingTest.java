package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.muelle.engine.errors.EngineException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Subnets, published-port requests, host-port allocation and the netavark document, without root. */
class AddressingTest {

    @Test
    void subnetArithmetic() {
        Ipv4Subnet s = Ipv4Subnet.parse("172.18.3.7/16");
        assertThat(s).hasToString("172.18.0.0/16");
        assertThat(Ipv4Subnet.format(s.host(1))).isEqualTo("172.18.0.1");
        assertThat(Ipv4Subnet.format(s.broadcast())).isEqualTo("172.18.255.255");
        assertThat(s.contains("172.18.200.1")).isTrue();
        assertThat(s.contains("172.19.0.1")).isFalse();
        assertThat(s.overlaps(Ipv4Subnet.parse("172.18.5.0/24"))).isTrue();
        assertThat(s.overlaps(Ipv4Subnet.parse("172.16.0.0/12"))).isTrue();
        assertThat(s.overlaps(Ipv4Subnet.parse("172.19.0.0/16"))).isFalse();
        assertThat(Ipv4Subnet.parse("10.0.0.0/8").size()).isEqualTo(1L << 24);
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.0.0")).hasMessage("invalid CIDR address: 10.0.0.0");
        assertThatThrownBy(() -> Ipv4Subnet.parse("10.0.300.0/24")).isInstanceOf(EngineException.InvalidParameter.class);
    }

    @Test
    void macAddressesAreDockersForTheAddress() {
        assertThat(AddressPools.macFor("172.17.0.2")).isEqualTo("02:42:ac:11:00:02");
        assertThat(AddressPools.macFor("10.201.1.10")).isEqualTo("02:42:0a:c9:01:0a");
    }

    @Test
    void portBindingsAndPublishAll() {
        Map<String, Object> bindings = new LinkedHashMap<>();
        bindings.put("80/tcp", List.of(Map.of("HostIp", "", "HostPort", "8080"),
                Map.of("HostIp", "127.0.0.1", "HostPort", "8081")));
        bindings.put("53/udp", List.of(Map.of("HostIp", "0.0.0.0", "HostPort", "")));
        bindings.put("443", null);
        List<PortMapping> req = PublishedPorts.requested(bindings, true, List.of("80/tcp", "9000/tcp", "53/udp"));
        assertThat(req).containsExactly(
                new PortMapping("", 8080, 80, "tcp"),
                new PortMapping("127.0.0.1", 8081, 80, "tcp"),
                new PortMapping("", 0, 53, "udp"),
                new PortMapping("", 0, 443, "tcp"),
                new PortMapping("", 0, 9000, "tcp"));
        assertThatThrownBy(() -> PublishedPorts.requested(Map.of("http/tcp", List.of()), false, List.of()))
                .hasMessage("invalid port specification: \"http/tcp\"");
    }

    @Test
    void aHostPortIsGivenOncePerProtocolAndAddress() {
        PortAllocator ports = new PortAllocator();
        int free = freePort();
        ports.allocate("a", List.of(new PortMapping("", free, 80, "tcp")));
        assertThatThrownBy(() -> ports.allocate("b", List.of(new PortMapping("127.0.0.1", free, 80, "tcp"))))
                .isInstanceOf(EngineException.Conflict.class)
                .hasMessage("Bind for 127.0.0.1:" + free + " failed: port is already allocated");
        // Another protocol is another port.
        assertThat(ports.allocate("c", List.of(new PortMapping("", free, 53, "udp")))).hasSize(1);
        ports.release("a");
        assertThat(ports.allocate("b", List.of(new PortMapping("", free, 80, "tcp")))).hasSize(1);
    }

    @Test
    void allOrNothingAndRandomPortsDiffer() {
        PortAllocator ports = new PortAllocator();
        int free = freePort();
        ports.allocate("a", List.of(new PortMapping("", free, 80, "tcp")));
        assertThatThrownBy(() -> ports.allocate("b", List.of(new PortMapping("", 0, 81, "tcp"),
                new PortMapping("", free, 80, "tcp")))).isInstanceOf(EngineException.Conflict.class);
        List<PortMapping> r = ports.allocate("c", List.of(new PortMapping("", 0, 80, "tcp"), new PortMapping("", 0, 81, "tcp")));
        assertThat(r.get(0).hostPort()).isPositive().isNotEqualTo(r.get(1).hostPort());
    }

    @Test
    void aPortAHostProcessListensOnIsRefused() throws IOException {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            PortAllocator ports = new PortAllocator();
            assertThatThrownBy(() -> ports.allocate("a", List.of(new PortMapping("", held.getLocalPort(), 80, "tcp"))))
                    .hasMessage("Error starting userland proxy: listen tcp4 0.0.0.0:" + held.getLocalPort()
                            + ": bind: address already in use");
        }
    }

    @Test
    void anAddressTheHostDoesNotHaveIsRefusedInGosWords() {
        PortAllocator ports = new PortAllocator();
        int free = freePort();
        assertThatThrownBy(() -> ports.allocate("a", List.of(new PortMapping("192.0.2.1", free, 80, "tcp"))))
                .hasMessage("Error starting userland proxy: listen tcp4 192.0.2.1:" + free
                        + ": bind: cannot assign requested address");
    }

    @Test
    void netavarkDocumentCarriesAddressesNamesAndPorts() {
        Network n = new Network("f".repeat(64), "n1", "bridge", "2026-01-01T00:00:00Z", "172.18.0.0/16", "172.18.0.1",
                null, false, false, true, "br-ffffffffffff", Map.of(), Map.of());
        Endpoint e = Endpoint.member("a".repeat(64), n.id(), "c1", List.of("web"), null)
                .withAddress("c1", "172.18.0.2", "02:42:ac:12:00:02", "e".repeat(64), "eth0");
        List<String> names = NetavarkBackend.dnsNames(e.containerId(), "c1", List.of("web", "c1"));
        assertThat(names).containsExactly("c1", "web", "aaaaaaaaaaaa");
        JsonNode doc = NetavarkBackend.options(new NetavarkBackend.Attachment(e.containerId(), "c1", n, e, names,
                List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp"))));
        JsonNode per = doc.path("networks").path(n.id());
        assertThat(per.path("static_ips").get(0).asText()).isEqualTo("172.18.0.2");
        assertThat(per.path("static_mac").asText()).isEqualTo("02:42:ac:12:00:02");
        assertThat(per.path("interface_name").asText()).isEqualTo("eth0");
        assertThat(per.path("aliases")).hasSize(3);
        JsonNode info = doc.path("network_info").path(n.id());
        assertThat(info.path("network_interface").asText()).isEqualTo("br-ffffffffffff");
        assertThat(info.path("subnets").get(0).path("gateway").asText()).isEqualTo("172.18.0.1");
        assertThat(info.path("dns_enabled").asBoolean()).isTrue();
        assertThat(info.path("options").path("isolate").asText()).isEqualTo("true");
        JsonNode port = doc.path("port_mappings").get(0);
        assertThat(port.path("host_ip").asText()).isEqualTo("127.0.0.1");
        assertThat(port.path("host_port").asInt()).isEqualTo(8080);
        assertThat(port.path("container_port").asInt()).isEqualTo(80);
        assertThat(port.path("protocol").asText()).isEqualTo("tcp");
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
