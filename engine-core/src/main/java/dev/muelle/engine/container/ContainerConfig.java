package dev.muelle.engine.container;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code ContainerConfig}: the portable part of a container's settings, as the client
 * sent it merged with the image's defaults. Field names are Docker's own (Jackson maps public
 * fields by name), so the JSON a client sends is the JSON {@code inspect} gives back; fields this
 * engine does not act on are kept in {@link #other} and returned unchanged.
 */
@SuppressWarnings("checkstyle:MemberName")
public final class ContainerConfig {
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

    private final Map<String, Object> other = new LinkedHashMap<>();

    @JsonAnySetter
    void set(String name, Object value) {
        other.put(name, value);
    }

    @JsonAnyGetter
    Map<String, Object> other() {
        return other;
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
