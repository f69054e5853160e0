// A multi-line text field (keys one per line, notes) that scrolls inside its own height.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

ScrollView {
    id: view

    property alias text: area.text
    property alias placeholderText: area.placeholderText
    property alias readOnly: area.readOnly
    property alias textArea: area
    property bool mono: false

    implicitHeight: 96
    clip: true
    padding: 1

    background: Rectangle {
        radius: 8
        color: Theme.input
        border.width: area.activeFocus ? 2 : 1
        border.color: area.activeFocus ? Theme.accent : Theme.cardBorder
    }

    TextArea {
        id: area
        wrapMode: TextEdit.Wrap
        selectByMouse: true
        color: Theme.text
        placeholderTextColor: Qt.rgba(Theme.textMuted.r, Theme.textMuted.g, Theme.textMuted.b, 0.6)
        selectionColor: Theme.selection
        selectedTextColor: Theme.text
        font.family: view.mono ? Theme.mono : view.font.family
        font.pixelSize: Theme.fontSize
        leftPadding: 10
        rightPadding: 10
        topPadding: 8
        bottomPadding: 8
        background: null
    }
}
