// "Are you sure?" for actions that cannot be undone (delete, regenerate the token).
// open() it; `confirmed()` when the user agrees.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

AppDialog {
    id: confirm

    property string message
    property string confirmText: qsTr("Confirm")
    property bool danger: true
    signal confirmed()

    preferredWidth: 440
    title: qsTr("Are you sure?")

    Label {
        Layout.fillWidth: true
        Layout.topMargin: 2
        Layout.bottomMargin: 8
        text: confirm.message
        color: Theme.text
        wrapMode: Text.Wrap
    }

    buttons: [
        Item { Layout.fillWidth: true },
        ActionButton {
            objectName: confirm.objectName !== "" ? confirm.objectName + "_cancel" : "confirmCancel"
            text: qsTr("Cancel")
            onClicked: confirm.reject()
        },
        ActionButton {
            objectName: confirm.objectName !== "" ? confirm.objectName + "_accept" : "confirmAccept"
            kind: confirm.danger ? "danger" : "primary"
            text: confirm.confirmText
            onClicked: {
                confirm.accept()
                confirm.confirmed()
            }
        }
    ]
}
