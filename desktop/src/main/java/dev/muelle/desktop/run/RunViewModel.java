package dev.muelle.desktop.run;

import dev.muelle.desktop.engine.ContainerSpec;
import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.EngineInfo;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The Run dialog's state and rules. Every field is a string property the view binds to; after any
 * change the view-model re-validates ({@link #problems}) and rewrites the equivalent command
 * ({@link #commandLine}). {@link #run} sends nothing unless the form is valid, and shows the
 * engine's refusal in plain words ({@link #engineError}).
 *
 * <p>Limits are bounded by the host the engine reports: memory by its total memory, CPUs by its
 * CPU count.
 */
public final class RunViewModel {

    /** One {@code -p host:container/protocol} row. Blank host port lets the engine choose. */
    public static final class PortRow {
        public final StringProperty hostPort = new SimpleStringProperty("");
        public final StringProperty containerPort = new SimpleStringProperty("");
        public final StringProperty protocol = new SimpleStringProperty("tcp");
    }

    /** One {@code -v source:target} row: a named volume or an absolute host folder. */
    public static final class MountRow {
        public final StringProperty source = new SimpleStringProperty("");
        public final StringProperty target = new SimpleStringProperty("");
        public final BooleanProperty readOnly = new SimpleBooleanProperty(false);
    }

    /** One {@code -e KEY=value} row. */
    public static final class EnvRow {
        public final StringProperty key = new SimpleStringProperty("");
        public final StringProperty value = new SimpleStringProperty("");
    }

    public static final List<String> RESTART_POLICIES = List.of("no", "always", "unless-stopped", "on-failure");

    private final EngineClient client;
    private final EngineInfo host;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final String image;

    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty command = new SimpleStringProperty("");
    private final StringProperty memory = new SimpleStringProperty("");
    private final StringProperty cpus = new SimpleStringProperty("");
    private final StringProperty restartPolicy = new SimpleStringProperty("no");
    private final StringProperty network = new SimpleStringProperty("");
    private final BooleanProperty interactive = new SimpleBooleanProperty(false);
    private final BooleanProperty tty = new SimpleBooleanProperty(false);
    private final ObservableList<PortRow> ports = FXCollections.observableArrayList(
            r -> new Observable[] {r.hostPort, r.containerPort, r.protocol});
    private final ObservableList<MountRow> mounts = FXCollections.observableArrayList(
            r -> new Observable[] {r.source, r.target, r.readOnly});
    private final ObservableList<EnvRow> environment = FXCollections.observableArrayList(
            r -> new Observable[] {r.key, r.value});
    private final ObservableList<String> volumeNames = FXCollections.observableArrayList();
    private final ObservableList<String> networkNames = FXCollections.observableArrayList();

    private final ObservableList<String> problems = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper commandLine = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper engineError = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper valid = new ReadOnlyBooleanWrapper(true);
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);

    /**
     * @param host what the engine says about its host (for the limits' bounds); may be null
     */
    public RunViewModel(EngineClient client, EngineInfo host, String image, TaskExecutor tasks, Notifier notifier) {
        this.client = client;
        this.host = host;
        this.image = image;
        this.tasks = tasks;
        this.notifier = notifier;
        List<Observable> inputs = List.of(name, command, memory, cpus, restartPolicy, network, interactive, tty,
                ports, mounts, environment);
        inputs.forEach(o -> o.addListener(x -> update()));
        update();
    }

    public String image() {
        return image;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty commandProperty() {
        return command;
    }

    /** Memory limit as {@code docker run -m} takes it: 256m, 1g, 512MiB; blank for none. */
    public StringProperty memoryProperty() {
        return memory;
    }

    /** CPU limit as {@code --cpus} takes it: 0.5, 1, 1.5; blank for none. */
    public StringProperty cpusProperty() {
        return cpus;
    }

    public StringProperty restartPolicyProperty() {
        return restartPolicy;
    }

    /** The network to join; blank for the engine's default. */
    public StringProperty networkProperty() {
        return network;
    }

    public BooleanProperty interactiveProperty() {
        return interactive;
    }

    public BooleanProperty ttyProperty() {
        return tty;
    }

    public ObservableList<PortRow> ports() {
        return ports;
    }

    public ObservableList<MountRow> mounts() {
        return mounts;
    }

    public ObservableList<EnvRow> environment() {
        return environment;
    }

    /** Named volumes the engine has, for the volume picker. */
    public ObservableList<String> volumeNames() {
        return volumeNames;
    }

    public ObservableList<String> networkNames() {
        return networkNames;
    }

    /** What is wrong with the form, one sentence per problem; empty when it can be sent. */
    public ObservableList<String> problems() {
        return problems;
    }

    public ReadOnlyBooleanProperty validProperty() {
        return valid.getReadOnlyProperty();
    }

    /** The {@code docker run ...} command that does the same, for copying. */
    public ReadOnlyStringProperty commandLineProperty() {
        return commandLine.getReadOnlyProperty();
    }

    /** The engine's refusal of the last attempt, in plain words. */
    public ReadOnlyStringProperty engineErrorProperty() {
        return engineError.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public PortRow addPort() {
        PortRow row = new PortRow();
        ports.add(row);
        return row;
    }

    public MountRow addMount() {
        MountRow row = new MountRow();
        mounts.add(row);
        return row;
    }

    public EnvRow addEnv() {
        EnvRow row = new EnvRow();
        environment.add(row);
        return row;
    }

    /** Fill the pickers (volumes, networks) from the engine; an engine without them leaves them empty. */
    public void loadChoices() {
        BackgroundTask.wrap(client::volumes).onSuccess(v -> volumeNames.setAll(v.stream().map(x -> x.name()).toList()))
                .onFailure(e -> { }).executeWith(tasks);
        BackgroundTask.wrap(client::networks).onSuccess(n -> networkNames.setAll(n.stream().map(x -> x.name()).toList()))
                .onFailure(e -> { }).executeWith(tasks);
    }

    private void update() {
        List<String> found = new ArrayList<>();
        ContainerSpec spec = spec(found);
        problems.setAll(found);
        valid.set(found.isEmpty());
        commandLine.set(found.isEmpty() ? DockerRunCommand.of(spec) : DockerRunCommand.of(spec(new ArrayList<>(), true)));
    }

    /** The spec the form describes; problems are added to {@code found}. */
    ContainerSpec spec(List<String> found) {
        return spec(found, false);
    }

    private ContainerSpec spec(List<String> found, boolean lenient) {
        String n = name.get().trim();
        if (!n.isEmpty() && !n.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]*")) {
            found.add("The name may hold letters, digits and _ . - and must start with a letter or digit.");
        }
        List<String> cmd;
        try {
            cmd = CommandWords.split(command.get());
        } catch (IllegalArgumentException e) {
            found.add("The command has " + e.getMessage() + ".");
            cmd = List.of();
        }
        List<ContainerSpec.PortMapping> portMappings = new ArrayList<>();
        for (PortRow row : ports) {
            String hostText = row.hostPort.get().trim();
            String containerText = row.containerPort.get().trim();
            if (hostText.isEmpty() && containerText.isEmpty()) {
                continue;
            }
            Integer container = port(containerText);
            Integer hostPort = hostText.isEmpty() ? Integer.valueOf(0) : port(hostText);
            if (container == null) {
                found.add("Container port \"" + containerText + "\" must be a number from 1 to 65535.");
            }
            if (hostPort == null) {
                found.add("Host port \"" + hostText + "\" must be a number from 1 to 65535, or blank for any free port.");
            }
            if (container != null && hostPort != null) {
                portMappings.add(new ContainerSpec.PortMapping(hostPort, container, row.protocol.get()));
            } else if (lenient) {
                portMappings.add(new ContainerSpec.PortMapping(0, 0, row.protocol.get()));
            }
        }
        List<ContainerSpec.Mount> mountList = new ArrayList<>();
        for (MountRow row : mounts) {
            String source = row.source.get().trim();
            String target = row.target.get().trim();
            if (source.isEmpty() && target.isEmpty()) {
                continue;
            }
            if (!source.startsWith("/") && !source.matches("[a-zA-Z0-9][a-zA-Z0-9_.-]+")) {
                found.add("Volume source \"" + source + "\" must be a volume name (letters, digits, _ . -) or an absolute host folder.");
            }
            if (!target.startsWith("/")) {
                found.add("Mount target \"" + target + "\" must be an absolute path inside the container.");
            }
            mountList.add(new ContainerSpec.Mount(source, target, row.readOnly.get()));
        }
        List<String> env = new ArrayList<>();
        for (EnvRow row : environment) {
            String key = row.key.get().trim();
            if (key.isEmpty() && row.value.get().isEmpty()) {
                continue;
            }
            if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
                found.add("Environment variable name \"" + key + "\" must start with a letter or _ and hold no spaces or =.");
            }
            env.add(key + "=" + row.value.get());
        }
        long memoryBytes = 0;
        if (!memory.get().isBlank()) {
            memoryBytes = MemorySize.parse(memory.get());
            if (memoryBytes < 0) {
                found.add("Memory \"" + memory.get().trim() + "\" must be a size such as 256m or 1g.");
            } else if (memoryBytes < 6 * 1024 * 1024) {
                found.add("Memory must be at least 6 MiB (the engine refuses less).");
            } else if (host != null && host.memoryTotal() > 0 && memoryBytes > host.memoryTotal()) {
                found.add("Memory cannot exceed the host's " + dev.muelle.desktop.text.Formats.bytes(host.memoryTotal()) + ".");
            }
        }
        long nanoCpus = 0;
        if (!cpus.get().isBlank()) {
            try {
                double c = Double.parseDouble(cpus.get().trim());
                if (c <= 0) {
                    found.add("CPUs must be more than 0.");
                } else if (host != null && host.cpus() > 0 && c > host.cpus()) {
                    found.add("CPUs cannot exceed the host's " + host.cpus() + ".");
                }
                nanoCpus = Math.round(c * 1e9);
            } catch (NumberFormatException e) {
                found.add("CPUs \"" + cpus.get().trim() + "\" must be a number such as 0.5 or 2.");
            }
        }
        if (!RESTART_POLICIES.contains(restartPolicy.get())) {
            found.add("Restart policy must be one of " + String.join(", ", RESTART_POLICIES) + ".");
        }
        String net = network.get() == null || network.get().isBlank() ? null : network.get().trim();
        return new ContainerSpec(image, n.isEmpty() ? null : n, cmd, portMappings, mountList, env,
                Math.max(0, memoryBytes), Math.max(0, nanoCpus), restartPolicy.get(), net, interactive.get(), tty.get());
    }

    private static Integer port(String text) {
        try {
            int p = Integer.parseInt(text);
            return p >= 1 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Create and start the container. Does nothing while the form has problems; on success
     * {@code onStarted} gets the new container's ID (the dialog closes).
     */
    public void run(Consumer<String> onStarted) {
        List<String> found = new ArrayList<>();
        ContainerSpec spec = spec(found);
        if (!found.isEmpty() || running.get()) {
            problems.setAll(found);
            return;
        }
        engineError.set("");
        running.set(true);
        BackgroundTask.wrap(() -> client.run(spec)).withTitle("Run " + image)
                .onSuccess(id -> {
                    notifier.info("Started " + (spec.name() == null ? id.substring(0, Math.min(12, id.length())) : spec.name()),
                            "from " + image);
                    onStarted.accept(id);
                })
                .onFailure(e -> engineError.set(plainWords(e)))
                .onFinished(() -> running.set(false))
                .executeWith(tasks);
    }

    /** The engine's refusal, said so the user knows what to change. */
    static String plainWords(Exception e) {
        String message = Notifier.plainMessage(e);
        String lower = message.toLowerCase(Locale.ROOT);
        if (e instanceof EngineException.Conflict && lower.contains("already in use")) {
            return "That name is taken by another container. Choose another name, or delete the other container. ("
                    + message + ")";
        }
        if (lower.contains("port is already allocated") || lower.contains("address already in use")) {
            return "A host port you chose is already in use on this machine. Choose another host port, "
                    + "or leave it blank to get a free one. (" + message + ")";
        }
        if (lower.contains("no such image")) {
            return "The image is not on this engine any more. Pull it again. (" + message + ")";
        }
        if (lower.contains("executable file not found") || lower.contains("no such file or directory")) {
            return "The command could not be started inside the container: the program was not found. (" + message + ")";
        }
        if (e instanceof EngineException.Unreachable) {
            return "The engine does not answer. (" + message + ")";
        }
        return message;
    }
}
