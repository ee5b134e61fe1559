package dev.muelle.desktop.dialogs;

import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;

/** The app's small modal questions, owned by the window of the view that asks. */
public final class Dialogs {

    private Dialogs() {
    }

    /** OK/Cancel confirmation; true only for OK. The OK button has the id {@code confirm-ok} for tests. */
    public static boolean confirm(Node owner, String header, String question) {
        return confirm(owner, header, question, null, false);
    }

    /** As {@link #confirm(Node, String, String)}, with {@code details} (options) under the question. */
    public static boolean confirm(Node owner, String header, String question, Node details, boolean expanded) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION, question, ButtonType.CANCEL, ButtonType.OK);
        confirm.setHeaderText(header);
        confirm.initOwner(owner.getScene().getWindow());
        confirm.getDialogPane().lookupButton(ButtonType.OK).setId("confirm-ok");
        if (details != null) {
            confirm.getDialogPane().setExpandableContent(details);
            confirm.getDialogPane().setExpanded(expanded);
        }
        return confirm.showAndWait().orElse(ButtonType.CANCEL) == ButtonType.OK;
    }
}
