package dev.muelle.engine.container;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.muelle.engine.json.Json;
import dev.muelle.engine.json.JsonRead;
import dev.muelle.engine.json.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Docker's {@code ContainerConfig}: the portable part of a container's settings, as the client
 * sent it merged with the image's defaults. Field names are Docker's own (Jackson maps public
 * fields by name), so the JSON a client sends is the JSON {@code inspect} gives back; fields this
 * engine does not act on are kept in {@link #other} and returned unchanged.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class ContainerConfig implements JsonValue {
    public String Hostname;
    public String Domainname;
    public String User;
    public Boolean AttachStdin;
    public Boolean AttachStdout;
    public Boolean AttachStderr;
    public Map<String, Object> ExposedPorts;
    public Boolean Tty;
    public Boolean OpenStdin;
    public Boolean StdinOnce;
    public List<String> Env;
    public List<String> Cmd;
    public JsonNode Healthcheck;
    public String Image;
    public Map<String, Object> Volumes;
    public String WorkingDir;
    public List<String> Entrypoint;
    public List<String> OnBuild;
    public Map<String, String> Labels;
    public String StopSignal;
    public Integer StopTimeout;
    public List<String> Shell;

    private final ObjectNode other = Json.object();

    private static final Set<String> FIELDS = Set.of(
            "Hostname", "Domainname", "User", "AttachStdin", "AttachStdout", "AttachStderr",
            "ExposedPorts", "Tty", "OpenStdin", "StdinOnce", "Env", "Cmd", "Healthcheck", "Image",
            "Volumes", "WorkingDir", "Entrypoint", "OnBuild", "Labels", "StopSignal", "StopTimeout",
            "Shell");

    /** The fields in declaration order, then the ones this engine keeps without acting on. */
    @Override
    public ObjectNode toJson() {
        ObjectNode n = Json.object();
        n.put("Hostname", Hostname);
        n.put("Domainname", Domainname);
        n.put("User", User);
        n.put("AttachStdin", AttachStdin);
        n.put("AttachStdout", AttachStdout);
        n.put("AttachStderr", AttachStderr);
        n.set("ExposedPorts", Json.node(ExposedPorts));
        n.put("Tty", Tty);
        n.put("OpenStdin", OpenStdin);
        n.put("StdinOnce", StdinOnce);
        n.set("Env", Json.node(Env));
        n.set("Cmd", Json.node(Cmd));
        n.set("Healthcheck", Healthcheck == null ? null : Healthcheck.deepCopy());
        n.put("Image", Image);
        n.set("Volumes", Json.node(Volumes));
        n.put("WorkingDir", WorkingDir);
        n.set("Entrypoint", Json.node(Entrypoint));
        n.set("OnBuild", Json.node(OnBuild));
        n.set("Labels", Json.node(Labels));
        n.put("StopSignal", StopSignal);
        n.put("StopTimeout", StopTimeout);
        n.set("Shell", Json.node(Shell));
        n.setAll(other.deepCopy());
        return n;
    }

    /** Reads a client's or a stored ContainerConfig; wrong types fail with Go's wording. */
    public static ContainerConfig fromJson(JsonRead r) {
        ContainerConfig x = new ContainerConfig();
        x.Hostname = r.string("Hostname");
        x.Domainname = r.string("Domainname");
        x.User = r.string("User");
        x.AttachStdin = r.bool("AttachStdin");
        x.AttachStdout = r.bool("AttachStdout");
        x.AttachStderr = r.bool("AttachStderr");
        x.ExposedPorts = r.map("ExposedPorts");
        x.Tty = r.bool("Tty");
        x.OpenStdin = r.bool("OpenStdin");
        x.StdinOnce = r.bool("StdinOnce");
        x.Env = r.strings("Env");
        x.Cmd = r.strings("Cmd");
        x.Healthcheck = r.raw("Healthcheck");
        x.Image = r.string("Image");
        x.Volumes = r.map("Volumes");
        x.WorkingDir = r.string("WorkingDir");
        x.Entrypoint = r.strings("Entrypoint");
        x.OnBuild = r.strings("OnBuild");
        x.Labels = r.stringMap("Labels");
        x.StopSignal = r.string("StopSignal");
        x.StopTimeout = r.int32("StopTimeout");
        x.Shell = r.strings("Shell");
        x.other.setAll(r.others(FIELDS));
        return x;
    }

    boolean tty() {
        return Boolean.TRUE.equals(Tty);
    }

    boolean openStdin() {
        return Boolean.TRUE.equals(OpenStdin);
    }

    boolean stdinOnce() {
        return Boolean.TRUE.equals(StdinOnce);
    }
}
