import javafx.application.Application;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;

/**
 * The baseline for bench/desktop: the smallest JavaFX window (one label), run with the same JVM
 * settings as the app, so the app's launch time and idle cost can be read against what the
 * toolkit itself costs on the same machine in the same run.
 */
public final class BareWindow {

    public static void main(String[] args) {
        Application.launch(App.class, args);
    }

    public static final class App extends Application {
        @Override
        public void start(Stage stage) {
            stage.setScene(new Scene(new Label("bare JavaFX window"), 1280, 800));
            stage.show();
            Platform.runLater(() -> System.out.println("muelle-desktop: ready (bare window)"));
        }
    }
}
