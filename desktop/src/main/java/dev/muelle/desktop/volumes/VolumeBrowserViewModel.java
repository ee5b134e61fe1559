package dev.muelle.desktop.volumes;

import dev.muelle.desktop.engine.EngineClient;
import dev.muelle.desktop.engine.EngineException;
import dev.muelle.desktop.engine.FileContent;
import dev.muelle.desktop.engine.Transfer;
import dev.muelle.desktop.engine.VolumeFile;
import dev.muelle.desktop.engine.VolumeFiles;
import dev.muelle.desktop.session.EngineSession;
import dev.muelle.desktop.task.BackgroundTask;
import dev.muelle.desktop.task.Notifier;
import dev.muelle.desktop.task.TaskExecutor;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The volume browser: one volume, one folder at a time, with a preview/editor for the selected
 * file and long transfers that report progress and can be cancelled.
 *
 * <p>Editing keeps the version the file had when opened; saving sends it, so a file changed
 * meanwhile (by a container or another client) is never overwritten: the save is refused, the
 * user's text stays in the editor, {@link #messageProperty} says what happened, and
 * {@link #saveAsCopy} keeps both versions.
 */
public final class VolumeBrowserViewModel {

    /** What the preview pane shows for the selected file. */
    public enum Preview { NONE, TEXT, IMAGE, BINARY, TOO_LARGE }

    /** Files up to this size are previewed and editable; bigger ones are only downloaded. */
    static final long PREVIEW_LIMIT = 2L << 20;

    private final EngineSession session;
    private final TaskExecutor tasks;
    private final Notifier notifier;
    private final ReadOnlyStringWrapper volume = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper directory = new ReadOnlyStringWrapper("/");
    private final ObservableList<VolumeFile> entries = FXCollections.observableArrayList();
    private final FilteredList<VolumeFile> visible = new FilteredList<>(entries);
    private final StringProperty search = new SimpleStringProperty("");
    private final ObservableList<String> breadcrumbs = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<VolumeFile> opened = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<Preview> preview = new ReadOnlyObjectWrapper<>(Preview.NONE);
    private final ReadOnlyObjectWrapper<byte[]> previewBytes = new ReadOnlyObjectWrapper<>();
    private final StringProperty editorText = new SimpleStringProperty("");
    private final ReadOnlyObjectWrapper<List<Highlighter.Span>> highlights = new ReadOnlyObjectWrapper<>(List.of());
    private final BooleanProperty editing = new SimpleBooleanProperty(true);
    private final ReadOnlyBooleanWrapper dirty = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");
    private final DoubleProperty progress = new SimpleDoubleProperty(-1);
    private final BooleanProperty transferring = new SimpleBooleanProperty();
    private final ObjectProperty<Transfer> transfer = new SimpleObjectProperty<>();
    private String openedEtag;
    private String openedText;

    public VolumeBrowserViewModel(EngineSession session, TaskExecutor tasks, Notifier notifier) {
        this.session = session;
        this.tasks = tasks;
        this.notifier = notifier;
        search.addListener((o, a, text) -> {
            String needle = text == null ? "" : text.toLowerCase(Locale.ROOT).trim();
            visible.setPredicate(needle.isEmpty() ? null : f -> f.name().toLowerCase(Locale.ROOT).contains(needle));
        });
        editorText.addListener((o, a, text) -> {
            dirty.set(openedText != null && !openedText.equals(text));
            if (dirty.get()) {
                editing.set(true);
            }
        });
    }

    private VolumeFiles files() {
        EngineClient client = session.client();
        if (client == null) {
            throw new EngineException.Unreachable("No engine is connected", null);
        }
        return client.volumeFiles();
    }

    public ReadOnlyStringProperty volumeProperty() {
        return volume.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty directoryProperty() {
        return directory.getReadOnlyProperty();
    }

    /** The current folder's entries that match the search, folders first. */
    public ObservableList<VolumeFile> visible() {
        return visible;
    }

    public StringProperty searchProperty() {
        return search;
    }

    /** The current folder and its parents, from {@code /}: each is a path to {@link #enter}. */
    public ObservableList<String> breadcrumbs() {
        return breadcrumbs;
    }

    public ReadOnlyObjectProperty<VolumeFile> openedProperty() {
        return opened.getReadOnlyProperty();
    }

    public ReadOnlyObjectProperty<Preview> previewProperty() {
        return preview.getReadOnlyProperty();
    }

    /** The image bytes when {@link #previewProperty} is IMAGE. */
    public ReadOnlyObjectProperty<byte[]> previewBytesProperty() {
        return previewBytes.getReadOnlyProperty();
    }

    /** The text of the opened file; the view binds its editor to it both ways. */
    public StringProperty editorTextProperty() {
        return editorText;
    }

    /**
     * The coloured spans of the opened text as it was read (empty: shown plain). The view shows
     * them until the user starts {@link #editingProperty editing}.
     */
    public ReadOnlyObjectProperty<List<Highlighter.Span>> highlightsProperty() {
        return highlights.getReadOnlyProperty();
    }

    /** Whether the text shows in the editor (always for plain text) rather than highlighted. */
    public BooleanProperty editingProperty() {
        return editing;
    }

    public ReadOnlyBooleanProperty dirtyProperty() {
        return dirty.getReadOnlyProperty();
    }

    /** What the user must know now (a conflict, a refused name), else empty. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** 0..1 while a transfer of known size runs, -1 (indeterminate) otherwise. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress;
    }

    public BooleanProperty transferringProperty() {
        return transferring;
    }

    public void open(String volumeName) {
        volume.set(volumeName);
        closeFile();
        enter("/");
    }

    /** Show folder {@code path}. */
    public void enter(String path) {
        String v = volume.get();
        BackgroundTask.wrap(() -> files().list(v, path)).withTitle("List " + path)
                .onSuccess(list -> {
                    List<VolumeFile> sorted = new ArrayList<>(list);
                    sorted.sort((a, b) -> a.directory() != b.directory() ? (a.directory() ? -1 : 1) : a.name().compareTo(b.name()));
                    directory.set(path);
                    entries.setAll(sorted);
                    breadcrumbs.setAll(crumbs(path));
                })
                .onFailure(e -> message.set("Cannot open " + path + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    /** The subfolders of {@code path}, for the folder tree. */
    public void folders(String path, Consumer<List<VolumeFile>> result) {
        String v = volume.get();
        BackgroundTask.wrap(() -> files().list(v, path).stream().filter(VolumeFile::directory).toList())
                .withTitle("List " + path).onSuccess(result).executeWith(tasks);
    }

    static List<String> crumbs(String path) {
        List<String> out = new ArrayList<>(List.of("/"));
        StringBuilder p = new StringBuilder();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                p.append('/').append(part);
                out.add(p.toString());
            }
        }
        return out;
    }

    public void refresh() {
        enter(directory.get());
    }

    public void up() {
        enter(VolumeFile.parent(directory.get()));
    }

    /** Double click: enter a folder, preview (and edit) a file. */
    public void activate(VolumeFile file) {
        if (file.directory()) {
            enter(file.path());
        } else {
            select(file);
        }
    }

    /** Preview {@code file}: text goes to the editor, images to the image pane. */
    public void select(VolumeFile file) {
        message.set("");
        if (file.directory() || !file.type().equals("file")) {
            closeFile();
            return;
        }
        if (file.size() > PREVIEW_LIMIT) {
            closeFile();
            opened.set(file);
            preview.set(Preview.TOO_LARGE);
            return;
        }
        String v = volume.get();
        BackgroundTask.wrap(() -> files().read(v, file.path())).withTitle("Open " + file.name())
                .onSuccess(content -> show(file, content))
                .onFailure(e -> message.set("Cannot open " + file.name() + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    private void show(VolumeFile file, FileContent content) {
        opened.set(file);
        openedEtag = content.etag();
        if (isImage(file.name())) {
            openedText = null;
            previewBytes.set(content.bytes());
            preview.set(Preview.IMAGE);
            return;
        }
        String text = utf8(content.bytes());
        if (text == null) {
            openedText = null;
            preview.set(Preview.BINARY);
            return;
        }
        openedText = text;
        editorText.set(text);
        dirty.set(false);
        List<Highlighter.Span> spans = Highlighter.Language.of(file.name()).map(l -> Highlighter.spans(l, text)).orElse(List.of());
        highlights.set(spans);
        editing.set(spans.isEmpty());
        preview.set(Preview.TEXT);
    }

    private void closeFile() {
        opened.set(null);
        openedText = null;
        openedEtag = null;
        previewBytes.set(null);
        highlights.set(List.of());
        editing.set(true);
        preview.set(Preview.NONE);
        dirty.set(false);
    }

    static boolean isImage(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".png") || n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".gif") || n.endsWith(".bmp");
    }

    /** The bytes as text when they are valid UTF-8 without NULs (a cheap binary test), else null. */
    static String utf8(byte[] bytes) {
        for (byte b : bytes) {
            if (b == 0) {
                return null;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Save the editor's text over the opened file, unless someone changed the file meanwhile. */
    public void save() {
        VolumeFile file = opened.get();
        if (file == null || openedText == null) {
            return;
        }
        String v = volume.get();
        String text = editorText.get();
        String etag = openedEtag;
        BackgroundTask.wrap(() -> files().write(v, file.path(), text.getBytes(StandardCharsets.UTF_8), etag))
                .withTitle("Save " + file.name())
                .onSuccess(saved -> {
                    openedEtag = saved.etag();
                    openedText = text;
                    opened.set(saved);
                    dirty.set(false);
                    message.set("");
                    notifier.info("Saved", file.path());
                    refresh();
                })
                .onFailure(e -> message.set(e instanceof EngineException.Conflict
                        ? file.name() + " was changed in the volume after you opened it (by a container or another "
                        + "program), so your edit was not saved over it. Your text is still here: Save as copy keeps "
                        + "both versions, Reload shows theirs."
                        : "Could not save " + file.name() + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    /** Save the editor's text next to the opened file as a new file; returns its path. */
    public String saveAsCopy() {
        VolumeFile file = opened.get();
        if (file == null || openedText == null) {
            return null;
        }
        String copy = VolumeFile.join(VolumeFile.parent(file.path()), copyName(file.name()));
        String v = volume.get();
        String text = editorText.get();
        BackgroundTask.wrap(() -> files().write(v, copy, text.getBytes(StandardCharsets.UTF_8), VolumeFiles.NEW_FILE))
                .withTitle("Save a copy of " + file.name())
                .onSuccess(saved -> {
                    message.set("Your version is saved as " + saved.name() + "; " + file.name() + " keeps the other one.");
                    refresh();
                    select(saved);
                })
                .onFailure(e -> message.set("Could not save a copy: " + Notifier.plainMessage(e)))
                .executeWith(tasks);
        return copy;
    }

    static String copyName(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) + ".mine" + name.substring(dot) : name + ".mine";
    }

    /** Discard the editor's text and read the file again. */
    public void reload() {
        VolumeFile file = opened.get();
        if (file != null) {
            select(file);
        }
    }

    /** Upload local files and folders into the current folder (or {@code target}). */
    public void upload(List<Path> sources, String target) {
        String v = volume.get();
        String names = String.join(", ", sources.stream().map(p -> p.getFileName().toString()).toList());
        runTransfer("Upload " + names, t -> files().upload(v, target, sources, t), () -> {
            notifier.info("Uploaded", names + " → " + target);
            refresh();
        }, e -> "The engine refused to upload " + names + " into " + target + ": " + Notifier.plainMessage(e));
    }

    public void upload(List<Path> sources) {
        upload(sources, directory.get());
    }

    /** Save {@code file} (a file to {@code target}, a folder into folder {@code target}). */
    public void download(VolumeFile file, Path target) {
        String v = volume.get();
        runTransfer("Download " + file.name(), t -> {
            if (file.directory()) {
                files().downloadTree(v, file.path(), target, t);
            } else {
                files().downloadFile(v, file.path(), target, t);
            }
        }, () -> notifier.info("Downloaded", file.name() + " → " + target),
                e -> "Could not download " + file.name() + ": " + Notifier.plainMessage(e));
    }

    public void newFolder(String name) {
        String path = VolumeFile.join(directory.get(), name);
        String v = volume.get();
        BackgroundTask.wrap(() -> files().mkdir(v, path)).withTitle("New folder " + name)
                .onSuccess(x -> refresh())
                .onFailure(e -> message.set("Could not create " + name + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    public void rename(VolumeFile file, String newName) {
        String to = VolumeFile.join(VolumeFile.parent(file.path()), newName);
        String v = volume.get();
        BackgroundTask.wrap(() -> files().move(v, file.path(), to)).withTitle("Rename " + file.name())
                .onSuccess(x -> refresh())
                .onFailure(e -> message.set("Could not rename " + file.name() + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    /** What to ask before deleting {@code file}. */
    public String deleteQuestion(VolumeFile file) {
        return file.directory() ? "Delete the folder " + file.path() + " and everything in it from volume " + volume.get() + "?"
                : "Delete " + file.path() + " from volume " + volume.get() + "?";
    }

    public void delete(VolumeFile file) {
        String v = volume.get();
        BackgroundTask.wrap(() -> files().delete(v, file.path(), true)).withTitle("Delete " + file.name())
                .onSuccess(x -> {
                    if (opened.get() != null && opened.get().path().equals(file.path())) {
                        closeFile();
                    }
                    refresh();
                })
                .onFailure(e -> message.set("Could not delete " + file.name() + ": " + Notifier.plainMessage(e)))
                .executeWith(tasks);
    }

    /** Most bytes that a drag to the desktop copies (the files must exist before the drag starts). */
    static final long DRAG_OUT_BYTES = 16L << 20;
    /** Most entries (files and folders) that a drag to the desktop copies. */
    static final int DRAG_OUT_ENTRIES = 1000;

    private Path lastDragOut;

    /**
     * Copies {@code chosen} (files and folders of the folder shown) into a new temporary folder so
     * they can be put on the desktop's drag board: the desktop copies them from there when they
     * are dropped, and it needs them before the drag starts, so this runs on the caller's thread
     * and is bounded by {@link #DRAG_OUT_BYTES} and {@link #DRAG_OUT_ENTRIES}. Returns the local
     * copies, or an empty list (with {@link #messageProperty} saying why) when the selection is too
     * large or cannot be read. The previous drag's copies are deleted.
     */
    public List<Path> dragOut(List<VolumeFile> chosen) {
        String v = volume.get();
        try {
            long[] budget = {DRAG_OUT_BYTES, DRAG_OUT_ENTRIES};
            for (VolumeFile f : chosen) {
                measure(v, f, budget);
            }
            deleteQuietly(lastDragOut);
            Path dir = java.nio.file.Files.createTempDirectory("muelle-drag-");
            lastDragOut = dir;
            List<Path> out = new ArrayList<>();
            for (VolumeFile f : chosen) {
                if (f.directory()) {
                    files().downloadTree(v, f.path(), dir, Transfer.untracked());
                } else {
                    files().downloadFile(v, f.path(), dir.resolve(f.name()), Transfer.untracked());
                }
                out.add(dir.resolve(f.name()));
            }
            return out;
        } catch (DragTooLarge e) {
            message.set(e.getMessage());
        } catch (java.io.IOException | RuntimeException e) {
            message.set("Could not drag " + names(chosen) + " out: " + Notifier.plainMessage(e));
        }
        return List.of();
    }

    /** Counts {@code f} (and a folder's contents) against what a drag may copy. */
    private void measure(String v, VolumeFile f, long[] budget) {
        budget[0] -= f.directory() ? 0 : f.size();
        budget[1]--;
        if (budget[0] < 0 || budget[1] < 0) {
            throw new DragTooLarge("Too much to drag to the desktop (the limit is " + (DRAG_OUT_BYTES >> 20) + " MiB or "
                    + DRAG_OUT_ENTRIES + " files and folders, copied before the drag starts): use Download instead.");
        }
        if (f.directory()) {
            for (VolumeFile child : files().list(v, f.path())) {
                measure(v, child, budget);
            }
        }
    }

    private static final class DragTooLarge extends RuntimeException {
        DragTooLarge(String message) {
            super(message, null, false, false);
        }
    }

    private static String names(List<VolumeFile> chosen) {
        return String.join(", ", chosen.stream().map(VolumeFile::name).toList());
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = java.nio.file.Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            // A leftover temporary copy costs only disk space.
        }
    }

    /** Cancel the running transfer; what was already moved stays. */
    public void cancelTransfer() {
        Transfer t = transfer.get();
        if (t != null) {
            t.cancel();
        }
    }

    /** A transfer as a background task: progress while it runs, a message when it fails. */
    void runTransfer(String title, TransferWork work, Runnable done, java.util.function.Function<Exception, String> failure) {
        Transfer t = new Transfer(bytes -> tasks.runOnUi(() -> progress.set(fraction(bytes, transfer.get()))));
        transfer.set(t);
        BackgroundTask.wrap(() -> work.run(t)).withTitle(title)
                .onRunning(() -> {
                    message.set("");
                    progress.set(-1);
                    transferring.set(true);
                })
                .onSuccess(x -> done.run())
                .onFailure(e -> message.set(e instanceof Transfer.Cancelled ? title + " cancelled." : failure.apply(e)))
                .onFinished(() -> {
                    transferring.set(false);
                    transfer.set(null);
                })
                .executeWith(tasks);
    }

    private static double fraction(long bytes, Transfer t) {
        return t == null || t.total() <= 0 ? -1 : Math.min(1.0, (double) bytes / t.total());
    }

    /** One transfer's work, given its progress/cancel handle. */
    @FunctionalInterface
    interface TransferWork {
        void run(Transfer transfer) throws Exception;
    }
}
