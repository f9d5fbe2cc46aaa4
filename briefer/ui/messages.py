"""Message boxes, in one place so tests can patch them."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget


class Answer(Enum):
    YES = "yes"
    NO = "no"
    CANCEL = "cancel"


def error(parent: QWidget | None, title: str, text: str, informative: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok, parent)
    if informative:
        box.setInformativeText(informative)
    box.setAccessibleName(title)
    box.exec()


def info(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def confirm(parent: QWidget | None, title: str, text: str, ok: str = "OK") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.Cancel, parent)
    ok_button = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok_button)
    box.exec()
    return box.clickedButton() is ok_button


def save_changes(parent: QWidget | None, name: str) -> Answer:
    """Save / Don't save / Cancel before discarding unsaved changes."""
    box = QMessageBox(QMessageBox.Icon.Question, "Unsaved changes",
                      f"Save the changes to \u201c{name}\u201d first?",  # before closing, opening or starting another
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.setInformativeText("If you don't save, your changes will be lost.")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    result = box.exec()
    if result == QMessageBox.StandardButton.Save:
        return Answer.YES
    if result == QMessageBox.StandardButton.Discard:
        return Answer.NO
    return Answer.CANCEL


def ask_text(parent: QWidget | None, title: str, label: str, text: str = "") -> str | None:
    value, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, text)
    return value.strip() if ok and value.strip() else None


def recover(parent: QWidget | None, text: str) -> Answer:
    """Recover / Discard / Later for autosaved work found at start-up."""
    box = QMessageBox(QMessageBox.Icon.Question, "Recover unsaved work", text, QMessageBox.StandardButton.NoButton,
                      parent)
    rec = box.addButton("Recover", QMessageBox.ButtonRole.AcceptRole)
    dis = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Decide later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(rec)
    box.exec()
    if box.clickedButton() is rec:
        return Answer.YES
    if box.clickedButton() is dis:
        return Answer.NO
    return Answer.CANCEL


def replace_file(parent: QWidget | None, path: str) -> bool:
    """The platform's standard question before writing over a file that exists: True to replace it."""
    from pathlib import Path

    name = Path(path).name
    box = QMessageBox(QMessageBox.Icon.Question, "Replace file?",
                      f"A file named \u201c{name}\u201d already exists. Do you want to replace it?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setInformativeText(f"It is in {Path(path).parent}. Replacing it overwrites what it holds now.")
    box.button(QMessageBox.StandardButton.Yes).setText("&Replace")
    box.setDefaultButton(QMessageBox.StandardButton.No)
    box.setEscapeButton(QMessageBox.StandardButton.No)
    box.setAccessibleName("Replace file?")
    box.setObjectName("ReplaceFileQuestion")
    return box.exec() == QMessageBox.StandardButton.Yes
