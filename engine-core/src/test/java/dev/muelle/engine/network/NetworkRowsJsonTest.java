package dev.muelle.engine.network;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.muelle.engine.json.Json;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The stored network rows are written and read without a mapper, byte for byte as the mapper did. */
class NetworkRowsJsonTest {

    private static final ObjectMapper OLD = LegacyMapper.OLD;

    @Test
    void networkRow() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("a", "1");
        labels.put("com.example.b", "two");
        Network n = new Network("0123456789abcdef", "front", "bridge", "2026-11-29T03:00:00Z", "10.89.0.0/24",
                "10.89.0.1", "10.89.0.128/25", true, true, true, "muelle1", labels, Map.of("mtu", "1400"));
        same(n, Network.from(Json.parse(OLD.writeValueAsString(n))));
        Network bare = new Network("fedcba9876543210", "none", "null", "2026-11-29T03:00:00Z", null, null, null,
                false, false, false, null, null, null);
        same(bare, Network.from(Json.parse(OLD.writeValueAsString(bare))));
    }

    @Test
    void endpointRow() throws Exception {
        Endpoint e = new Endpoint("c0ffee", "0123456789abcdef", "web", List.of("www", "api"), "10.89.0.9", "10.89.0.9",
                "aa:bb:cc:dd:ee:ff", "ep1", "eth0");
        same(e, Endpoint.from(Json.parse(OLD.writeValueAsString(e))));
        Endpoint member = Endpoint.member("c0ffee", "n1", null, null, null);
        same(member, Endpoint.from(Json.parse(OLD.writeValueAsString(member))));
    }

    @Test
    void sandboxRow() throws Exception {
        Sandbox s = new Sandbox("c0ffee", "/run/muelle/netns/x", true,
                List.of(new PortMapping("127.0.0.1", 8080, 80, "tcp"), new PortMapping("", 5353, 53, "udp")),
                "0123456789abcdef", "10.89.0.9", "10.89.0.1", List.of("10.89.0.1", "10.90.0.1"));
        same(s, Sandbox.from(Json.parse(OLD.writeValueAsString(s))));
        Sandbox host = new Sandbox("c0ffee", "host", false, null, null, null, null, null);
        same(host, Sandbox.from(Json.parse(OLD.writeValueAsString(host))));
    }

    /** Written as the mapper wrote it, and an old row reads back to the same value. */
    private static void same(Object value, Object readBack) throws Exception {
        assertEquals(OLD.writeValueAsString(value), Json.string(value));
        assertEquals(value, readBack);
    }
}
