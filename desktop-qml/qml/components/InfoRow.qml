// "Label    value" in a card: a muted label column and a selectable value (mono for addresses
// and paths); extra items (a copy button) go on the right as children.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

RowLayout {
    id: info

    property string label
    property string value
    property bool mono: false
    property int labelWidth: 140
    property color valueColor: Theme.text
    default property alias extras: extraRow.data

    Layout.fillWidth: true
    spacing: 12

    Label {
        Layout.preferredWidth: info.labelWidth
        Layout.alignment: Qt.AlignVCenter
        text: info.label
        color: Theme.textMuted
        elide: Text.ElideRight
    }
    TextEdit {
        Layout.fillWidth: true
        Layout.alignment: Qt.AlignVCenter
        text: info.value === "" ? "—" : info.value
        readOnly: true
        selectByMouse: true
        wrapMode: TextEdit.WrapAnywhere
        color: info.valueColor
        selectionColor: Theme.selection
        selectedTextColor: Theme.text
        font.family: info.mono ? Theme.mono : Qt.application.font.family
        font.pixelSize: Theme.fontSize
    }
    RowLayout {
        id: extraRow
        spacing: 4
    }
}
