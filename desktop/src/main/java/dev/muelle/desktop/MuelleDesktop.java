package dev.muelle.desktop;

import dev.muelle.desktop.containers.ContainersView;
import dev.muelle.desktop.containers.ContainersViewModel;
import dev.muelle.desktop.engine.DockerJavaEngineClient;
import dev.muelle.desktop.engine.EngineLocator;
import dev.muelle.desktop.engine.EngineStrategies;
import dev.muelle.desktop.engine.SocketPing;
import dev.muelle.desktop.images.ImagesView;
import dev.muelle.desktop.images.ImagesViewModel;
import dev.muelle.desktop.builds.BuildHistory;
import dev.muelle.desktop.builds.BuildsView;
import dev.muelle.desktop.builds.BuildsViewModel;
import dev.muelle.desktop.networks.NetworksView;
import dev.muelle.desktop.networks.NetworksViewModel;
import dev.muelle.desktop.session.CommandEngineLauncher;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.settings.SettingsView;
import dev.muelle.desktop.settings.SettingsViewModel;
import dev.muelle.desktop.shell.AppTheme;
import dev.muelle.desktop.shell.FxNotifier;
import dev.muelle.desktop.shell.MainView;
import dev.muelle.desktop.shell.PageContent;
import dev.muelle.desktop.shell.Tray;
import dev.muelle.desktop.task.WorkerTaskExecutor;
import dev.muelle.desktop.volumes.VolumesView;
import dev.muelle.desktop.volumes.VolumesViewModel;
import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The desktop app: wires the engine session, the feature view-models and their views into the
 * main window. Everything it needs from outside comes in a {@link DesktopConfig}.
 */
public final class MuelleDesktop extends Application {

    /** The engine search the launcher started before the toolkit; taken by the first window. */
    private static final java.util.concurrent.atomic.AtomicReference<EngineSession.Early> early =
            new java.util.concurrent.atomic.AtomicReference<>();

    private final DesktopConfig config;
    private Stage stage;
    private AppTheme theme;
    private FxNotifier notifier;
    private WorkerTaskExecutor tasks;
    private EngineSession session;
    private SettingsViewModel settings;
    private ContainersViewModel containersModel;
    private ContainersView containersView;
    private ImagesView imagesView;
    private MainView main;
    private VolumesViewModel volumesModel;
    private VolumesView volumesView;
    private NetworksViewModel networksModel;
    private NetworksView networksView;
    private BuildsViewModel buildsModel;
    private Tray tray;

    /** Used by {@code Application.launch}: the user's own environment and settings. */
    public MuelleDesktop() {
        this(DesktopConfig.fromEnvironment());
    }

    public MuelleDesktop(DesktopConfig config) {
        this.config = config;
    }

    @Override
    public void start(Stage primaryStage) {
        mark("start");
        this.stage = primaryStage;
        theme = new AppTheme(config.env());
        notifier = new FxNotifier(() -> stage);
        tasks = new WorkerTaskExecutor(Platform::runLater, notifier);
        settings = new SettingsViewModel(config.settings(), () -> session.connect());
        theme.apply(settings.themeProperty().get());
        settings.onThemeChange(theme::apply);
        session = new EngineSession(locator(config, () -> settings.current().socket()),
                SocketPing::answers,
                DockerJavaEngineClient::new,
                new CommandEngineLauncher(this::engineCommand, config.engineLog()),
                tasks, notifier);
        // Find the engine while the window is built: the worker loads the client's classes and
        // asks the engine in parallel with the UI work; results arrive after start() returns.
        session.connect(early.getAndSet(null));
        containersModel = new ContainersViewModel(session, tasks, notifier);
        containersView = new ContainersView(containersModel, session, tasks, notifier, getHostServices());

        Map<MainView.Page, Supplier<PageContent>> pages = new EnumMap<>(MainView.Page.class);
        pages.put(MainView.Page.CONTAINERS, () -> new PageContent(containersView, containersModel::refresh,
                containersView::focusSearch));
        pages.put(MainView.Page.IMAGES, () -> {
            ImagesViewModel model = new ImagesViewModel(session, tasks, notifier);
            imagesView = new ImagesView(model, tasks, notifier, this::showContainer);
            return new PageContent(imagesView, model::refresh, imagesView::focusSearch);
        });
        pages.put(MainView.Page.VOLUMES, () -> {
            volumesModel = new VolumesViewModel(session, tasks, notifier);
            volumesView = new VolumesView(volumesModel, this::showContainerNamed);
            return new PageContent(volumesView, volumesModel::refresh, () -> { });
        });
        pages.put(MainView.Page.NETWORKS, () -> {
            networksModel = new NetworksViewModel(session, tasks, notifier);
            networksView = new NetworksView(networksModel);
            return new PageContent(networksView, networksModel::refresh, () -> { });
        });
        pages.put(MainView.Page.BUILDS, () -> {
            buildsModel = new BuildsViewModel(session, tasks, notifier, BuildHistory.forUser(config.env(), config.home()),
                    java.time.Clock.systemDefaultZone());
            return new PageContent(new BuildsView(buildsModel), () -> { }, () -> { });
        });
        pages.put(MainView.Page.SETTINGS, () -> new PageContent(new SettingsView(settings, session), () -> { }, () -> { }));
        main = new MainView(session, pages, containersModel.summaryLineProperty());

        Scene scene = new Scene(main, 1280, 800);
        main.installShortcuts(scene, () -> settings.toggleTheme(theme.dark()), this::quit);
        stage.setScene(scene);
        stage.setTitle("Muelle");
        stage.getIcons().add(new Image(MuelleDesktop.class.getResource("/dev/muelle/desktop/shell/muelle-32.png").toExternalForm()));
        stage.show();
        mark("window shown");
        if (config.reportReady()) {
            reportWhenInteractive();
        }
        if (config.tray()) {
            tray = Tray.installLater(stage, () -> {
                stage.show();
                stage.toFront();
            }, this::quit);
        }
    }

    /**
     * Starts looking for the engine (and loading the client's classes) before the toolkit starts,
     * so both overlap: the launcher calls this first, and the window it opens takes the result.
     */
    static void findEngineEarly() {
        early.set(EngineSession.findEarly(() -> {
            DesktopConfig config = DesktopConfig.fromEnvironment();
            return locator(config, () -> config.settings().load().socket()).get();
        }, DockerJavaEngineClient::new));
    }

    private static Supplier<EngineLocator> locator(DesktopConfig config, Supplier<String> configuredSocket) {
        return () -> new EngineLocator(EngineStrategies.standard(configuredSocket.get(), config.env(), config.home()),
                SocketPing::answers);
    }

    /** For bench/desktop: "ready" once the window shows the containers (or says no engine answers). */
    private void reportWhenInteractive() {
        Runnable report = new Runnable() {
            private boolean done;

            @Override
            public void run() {
                boolean interactive = containersModel.loadedProperty().get()
                        || session.state() == EngineSession.State.UNREACHABLE;
                if (interactive && !done) {
                    done = true;
                    // Wait for the frame with the content to be rendered before saying so.
                    Platform.runLater(() -> {
                        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
                        System.out.println("muelle-desktop: ready after " + Duration.between(started, Instant.now()).toMillis()
                                + " ms (" + containersModel.items().size() + " containers)");
                        System.out.flush();
                    });
                }
            }
        };
        if (session.state() == EngineSession.State.RUNNING) {
            mark("engine running (found while the toolkit started)");
        }
        containersModel.loadedProperty().addListener((o, a, b) -> report.run());
        session.stateProperty().addListener((o, a, b) -> {
            mark("engine " + b.name().toLowerCase());
            report.run();
        });
    }

    /** Startup phases, printed for bench/desktop only. */
    private void mark(String phase) {
        if (config.reportReady()) {
            Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
            System.out.println("muelle-desktop: " + phase + " at " + Duration.between(started, Instant.now()).toMillis() + " ms");
        }
    }

    private String engineCommand() {
        String configured = settings.current().engineCommand();
        return configured.isBlank() ? config.defaultEngineCommand() : configured;
    }

    /** Show the Containers page with {@code containerId} selected (after Run). */
    public void showContainer(String containerId) {
        main.show(MainView.Page.CONTAINERS);
        containersView.closeDetail();
        containersModel.refresh();
        Platform.runLater(() -> containersView.select(containerId));
    }

    private void quit() {
        Platform.exit();
    }

    @Override
    public void stop() {
        if (tray != null) {
            tray.close();
        }
        if (session != null) {
            session.close();
        }
        if (tasks != null) {
            tasks.shutdown();
        }
    }

    // --- for tests and the benchmark ----------------------------------------------------------

    public Stage stage() {
        return stage;
    }

    public EngineSession session() {
        return session;
    }

    public MainView mainView() {
        return main;
    }

    public ContainersView containersView() {
        return containersView;
    }

    public ContainersViewModel containersModel() {
        return containersModel;
    }

    /** Show the container called {@code name} (links from other pages name containers, not IDs). */
    public void showContainerNamed(String name) {
        containersModel.items().stream().filter(i -> i.summary().name().equals(name)).findFirst()
                .ifPresent(i -> showContainer(i.id()));
    }

    public VolumesViewModel volumesModel() {
        return volumesModel;
    }

    public BuildsViewModel buildsModel() {
        return buildsModel;
    }

    public NetworksViewModel networksModel() {
        return networksModel;
    }

    public NetworksView networksView() {
        return networksView;
    }

    public VolumesView volumesView() {
        return volumesView;
    }

    public ImagesView imagesView() {
        return imagesView;
    }

    public FxNotifier notifier() {
        return notifier;
    }

    public SettingsViewModel settings() {
        return settings;
    }

    public AppTheme theme() {
        return theme;
    }
}
