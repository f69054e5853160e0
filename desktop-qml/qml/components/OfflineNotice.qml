// Shown by a page in place of what needs the gateway while it is not running: says so, shows
// the last error, and offers to start it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

Card {
    id: notice

    property string text: qsTr("Start it to see live data here.")

    visible: !Backend.connected
    Layout.fillWidth: true
    padding: 28

    EmptyState {
        Layout.fillWidth: true
        glyph: "⚡"
        title: Backend.busy ? qsTr("Starting the gateway…") : qsTr("The gateway is not running")
        text: Backend.busy ? (Backend.statusText ?? "")
                           : (Backend.lastError ?? "") !== "" ? Backend.lastError : notice.text

        ActionButton {
            objectName: "startGatewayButton"
            kind: "primary"
            text: qsTr("Start gateway")
            busy: Backend.busy
            enabled: !Backend.busy
            onClicked: Backend.startStack()
        }
    }
}
