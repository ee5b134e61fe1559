package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.network.NetworkViews;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Renders containers in the API's shapes: {@code ContainerSummary} and {@code ContainerInspectResponse}. */
public final class ContainerViews {

    private ContainerViews() {
    }

    public static ObjectNode inspect(Container c, ContainerService service, boolean size) {
        ObjectNode n = c.toJson();
        n.remove("HasBeenManuallyStopped");
        n.remove("CgroupsPath");
        n.put("Name", c.Name);
        n.put("MountLabel", "");
        n.put("ProcessLabel", "");
        n.put("AppArmorProfile", "");
        n.putNull("ExecIDs");
        ObjectNode gd = n.putObject("GraphDriver");
        gd.put("Name", "overlay2");
        ObjectNode data = gd.putObject("Data");
        Map<String, String> graph = service.graphDriverData(c);
        graph.forEach(data::put);
        n.set("NetworkSettings", new NetworkViews(service.networks()).containerSettings(c.Id, c.HostConfig.NetworkMode,
                c.State.Running, ContainerService.exposedPorts(c)));
        if (size) {
            n.put("SizeRw", service.sizeRw(c));
            n.put("SizeRootFs", service.sizeRootFs(c));
        }
        return n;
    }

    public static ObjectNode summary(Container c, ContainerService service, boolean size) {
        ObjectNode n = Json.object();
        n.put("Id", c.Id);
        n.putArray("Names").add(c.Name);
        n.put("Image", c.Config.Image);
        n.put("ImageID", c.Image);
        n.put("Command", command(c));
        n.put("Created", Instant.parse(c.Created).getEpochSecond());
        NetworkViews networkViews = new NetworkViews(service.networks());
        n.set("Ports", networkViews.portSummaries(c.Id, c.State.Running, ContainerService.exposedPorts(c)));
        ObjectNode labels = n.putObject("Labels");
        if (c.Config.Labels != null) {
            c.Config.Labels.forEach(labels::put);
        }
        n.put("State", c.State.Status);
        n.put("Status", status(c));
        n.putObject("HostConfig").put("NetworkMode", c.HostConfig.NetworkMode);
        n.putObject("NetworkSettings").set("Networks", networkViews.summaryNetworks(c.Id, c.HostConfig.NetworkMode));
        n.set("Mounts", Json.node(c.Mounts == null ? List.of() : c.Mounts));
        if (size) {
            n.put("SizeRw", service.sizeRw(c));
            n.put("SizeRootFs", service.sizeRootFs(c));
        }
        return n;
    }

    static String command(Container c) {
        StringBuilder sb = new StringBuilder(c.Path);
        for (String a : c.Args) {
            sb.append(' ').append(a.contains(" ") ? "'" + a + "'" : a);
        }
        return sb.toString();
    }

    /** Docker's human status: "Up 3 minutes", "Exited (0) 2 seconds ago", "Created". */
    static String status(Container c) {
        ContainerState s = c.State;
        Instant now = Instant.now();
        if (s.Restarting) {
            return "Restarting (" + s.ExitCode + ") " + human(since(s.FinishedAt, now)) + " ago";
        }
        if (s.Running) {
            String up = "Up " + human(since(s.StartedAt, now));
            if (s.Paused) {
                return up + " (Paused)";
            }
            return s.Health == null ? up : up + " (" + s.Health.summary() + ")";
        }
        if (s.Status.equals("removing")) {
            return "Removal In Progress";
        }
        if (s.Dead) {
            return "Dead";
        }
        if (ContainerState.ZERO_TIME.equals(s.FinishedAt)) {
            return "Created";
        }
        return "Exited (" + s.ExitCode + ") " + human(since(s.FinishedAt, now)) + " ago";
    }

    private static Duration since(String t, Instant now) {
        try {
            return Duration.between(Instant.parse(t), now);
        } catch (RuntimeException e) {
            return Duration.ZERO;
        }
    }

    /** go-units HumanDuration, which the docker CLI users know. */
    static String human(Duration d) {
        long secs = d.getSeconds();
        if (secs < 1) {
            return "Less than a second";
        } else if (secs == 1) {
            return "1 second";
        } else if (secs < 60) {
            return secs + " seconds";
        }
        long mins = d.toMinutes();
        if (mins == 1) {
            return "About a minute";
        } else if (mins < 60) {
            return mins + " minutes";
        }
        long hours = Math.round(d.toMinutes() / 60.0);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return hours / 24 / 365 + " years";
    }

    public static ArrayNode list(List<Container> cs, ContainerService service, boolean size) {
        ArrayNode a = Json.array();
        cs.forEach(c -> a.add(summary(c, service, size)));
        return a;
    }
}
