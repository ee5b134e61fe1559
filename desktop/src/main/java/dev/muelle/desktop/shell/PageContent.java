package dev.muelle.desktop.shell;

import javafx.scene.Node;

/**
 * What the shell needs from a feature page: its node, and what F5 and Ctrl+F do on it. Features
 * hand this over without knowing the shell.
 */
public record PageContent(Node node, Runnable refresh, Runnable focusSearch) {
}
