// A single-line text field in the app's style. `mono` for URLs, keys and model names.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

TextField {
    id: control

    property bool mono: false
    property bool invalid: false

    implicitHeight: 36
    leftPadding: 10
    rightPadding: 10
    selectByMouse: true
    color: Theme.text
    placeholderTextColor: Qt.rgba(Theme.textMuted.r, Theme.textMuted.g, Theme.textMuted.b, 0.6)
    selectionColor: Theme.selection
    selectedTextColor: Theme.text
    font.family: mono ? Theme.mono : control.font.family
    font.pixelSize: Theme.fontSize
    opacity: enabled ? 1 : 0.55

    background: Rectangle {
        implicitWidth: 200
        radius: 8
        color: Theme.input
        border.width: control.activeFocus ? 2 : 1
        border.color: control.invalid ? Theme.error
                    : control.activeFocus ? Theme.accent : Theme.cardBorder
    }
}
