// Copies `value` to the clipboard and says so for a moment.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

ActionButton {
    id: copy

    property string value
    property bool copied: false

    compact: true
    kind: "ghost"
    text: copied ? qsTr("Copied") : qsTr("Copy")
    enabled: value !== ""
    onClicked: {
        helper.text = copy.value
        helper.selectAll()
        helper.copy()
        helper.text = ""
        copy.copied = true
        resetTimer.restart()
    }

    TextEdit {
        id: helper
        visible: false
    }
    Timer {
        id: resetTimer
        interval: 1500
        onTriggered: copy.copied = false
    }
}
