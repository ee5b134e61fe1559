package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.errors.EngineException;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The container record's JSON is what earlier engines stored in SQLite and what {@code inspect}
 * shows: writing it by hand must give the bytes Jackson's data binding gave, and read back the same.
 */
class ContainerJsonTest {

    @Test
    void aFullyPopulatedRecordIsWrittenAsJacksonWroteItAndReadsBack() throws Exception {
        // Written by the engine's Jackson data binding (up to c1a0647) from populated().
        String expected;
        try (var in = getClass().getResourceAsStream("container-record-jackson.json")) {
            expected = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String written = Json.string(populated());
        assertThat(written).isEqualTo(expected);
        Container back = Container.fromJson(Json.parse(expected));
        assertThat(Json.string(back)).isEqualTo(expected);
    }

    @Test
    void unknownConfigFieldsAreKeptInOrderAfterTheKnownOnes() throws Exception {
        JsonNode sent = Json.parse("{\"Image\":\"busybox\",\"ArgsEscaped\":true,\"Cmd\":\"sh\",\"MacAddress\":\"\",\"X\":{\"a\":[1,2.5,null]}}");
        ContainerConfig cfg = ContainerConfig.fromJson(JsonRead.of(sent, "ContainerConfig"));
        assertThat(cfg.Cmd).containsExactly("sh");
        String json = Json.string(cfg);
        assertThat(json).endsWith(",\"Shell\":null,\"ArgsEscaped\":true,\"MacAddress\":\"\",\"X\":{\"a\":[1,2.5,null]}}");
        assertThat(json).isEqualTo(Json.string(ContainerConfig.fromJson(JsonRead.of(Json.parse(json), "ContainerConfig"))));
    }

    @Test
    void aWrongTypeIsRefusedInGosWordsNamingTheField() throws Exception {
        JsonNode sent = Json.parse("{\"Memory\":\"lots\"}");
        assertThatThrownBy(() -> HostConfig.fromJson(JsonRead.of(sent, "HostConfig")))
                .isInstanceOf(EngineException.InvalidParameter.class)
                .hasMessage("json: cannot unmarshal string into Go struct field HostConfig.Memory of type int64");
        JsonNode policy = Json.parse("{\"RestartPolicy\":{\"MaximumRetryCount\":true}}");
        assertThatThrownBy(() -> HostConfig.fromJson(JsonRead.of(policy, "HostConfig")))
                .hasMessage("json: cannot unmarshal bool into Go struct field HostConfig.RestartPolicy.MaximumRetryCount of type int");
    }

    @Test
    void clientLeniencyIsKept() throws Exception {
        JsonNode sent = Json.parse("{\"Memory\":\"1024\",\"Privileged\":\"true\",\"RestartPolicy\":\"\",\"CapAdd\":\"NET_ADMIN\","
                + "\"Ulimits\":{\"Name\":\"nofile\",\"Soft\":1,\"Hard\":2},\"NetworkMode\":5}");
        HostConfig hc = HostConfig.fromJson(JsonRead.of(sent, "HostConfig"));
        assertThat(hc.Memory).isEqualTo(1024L);
        assertThat(hc.Privileged).isTrue();
        assertThat(hc.RestartPolicy).isNull();
        assertThat(hc.CapAdd).containsExactly("NET_ADMIN");
        assertThat(hc.Ulimits).singleElement().satisfies(u -> assertThat(u.Hard).isEqualTo(2L));
        assertThat(hc.NetworkMode).isEqualTo("5");
        assertThat(HostConfig.fromJson(JsonRead.of(null, "HostConfig")).Memory).isNull();
    }

    @Test
    void aCopyOfTheHostConfigIsDeep() throws Exception {
        HostConfig hc = populated().HostConfig;
        HostConfig copy = hc.copy();
        assertThat(Json.string(copy)).isEqualTo(Json.string(hc));
        copy.CapAdd.add("SYS_ADMIN");
        copy.RestartPolicy.Name = "always";
        assertThat(Json.string(copy)).isNotEqualTo(Json.string(hc));
    }

    static Container populated() throws Exception {
        Container c = new Container();
        fill(c, 1);
        c.State = new ContainerState();
        fill(c.State, 2);
        c.State.Health = new Health();
        c.State.Health.Status = Health.UNHEALTHY;
        c.State.Health.FailingStreak = 3;
        c.State.Health.Log.add(new Health.Result("s", "e", 1, "out\n"));
        c.Config = new ContainerConfig();
        fill(c.Config, 3);
        c.Config.Healthcheck = Json.parse("{\"Test\":[\"CMD\",\"true\"],\"Interval\":1000000000}");
        c.Config.ExposedPorts = new LinkedHashMap<>(Map.of("80/tcp", new LinkedHashMap<>()));
        ObjectNode configOther = (ObjectNode) Json.parse("{\"ArgsEscaped\":false,\"MacAddress\":\"02:42\"}");
        setOther(c.Config, configOther);
        c.HostConfig = new HostConfig();
        fill(c.HostConfig, 4);
        c.HostConfig.LogConfig = new HostConfig.LogConfig();
        c.HostConfig.LogConfig.Type = "json-file";
        c.HostConfig.LogConfig.Config = Map.of("max-size", "1m");
        c.HostConfig.RestartPolicy = new HostConfig.RestartPolicy();
        c.HostConfig.RestartPolicy.Name = "on-failure";
        c.HostConfig.RestartPolicy.MaximumRetryCount = 3;
        HostConfig.Ulimit u = new HostConfig.Ulimit();
        u.Name = "nofile";
        u.Soft = 10L;
        u.Hard = 20L;
        c.HostConfig.Ulimits = new ArrayList<>(List.of(u));
        HostConfig.DeviceMapping d = new HostConfig.DeviceMapping();
        d.PathOnHost = "/dev/fuse";
        d.PathInContainer = "/dev/fuse";
        d.CgroupPermissions = "rwm";
        c.HostConfig.Devices = new ArrayList<>(List.of(d));
        c.HostConfig.PortBindings = new LinkedHashMap<>(Map.of("80/tcp", List.of(ordered("HostIp", "", "HostPort", "8080"))));
        c.HostConfig.Mounts = new ArrayList<>(List.of(ordered("Type", "volume", "Target", "/data")));
        setOther(c.HostConfig, (ObjectNode) Json.parse("{\"BlkioWeight\":0,\"Isolation\":\"\"}"));
        c.Mounts = new ArrayList<>(List.of(
                new MountPoint(MountPoint.VOLUME, "v", "/var/lib/v", "/data", "local", "z", true, ""),
                new MountPoint(MountPoint.BIND, null, "/src", "/dst", null, "ro", false, "rprivate")));
        return c;
    }

    private static Map<String, Object> ordered(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        m.put(k2, v2);
        return m;
    }

    private static void setOther(Object o, ObjectNode values) throws Exception {
        Field f = o.getClass().getDeclaredField("other");
        f.setAccessible(true);
        ((ObjectNode) f.get(o)).setAll(values);
    }

    /** Gives every public String, Boolean, Integer, Long, int, boolean and List/Map of strings field a distinct value. */
    private static void fill(Object o, int seed) throws Exception {
        int i = seed * 100;
        for (Field f : o.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            i++;
            if (t == String.class) {
                f.set(o, f.getName().toLowerCase() + "-" + i);
            } else if (t == Boolean.class || t == boolean.class) {
                f.set(o, i % 2 == 0);
            } else if (t == Integer.class || t == int.class) {
                f.set(o, i);
            } else if (t == Long.class || t == long.class) {
                f.set(o, (long) i << 33);
            } else if (t == List.class && f.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[0] == String.class) {
                f.set(o, new ArrayList<>(List.of("a" + i, "b c")));
            } else if (t == Map.class && f.getGenericType() instanceof ParameterizedType p
                    && p.getActualTypeArguments()[1] == String.class) {
                f.set(o, new LinkedHashMap<>(Map.of("k" + i, "v")));
            }
        }
    }
}
