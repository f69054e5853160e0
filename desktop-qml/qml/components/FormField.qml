// A labelled form row: the label, the control(s) (children; give them Layout.fillWidth), and an
// optional hint or error under them.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

ColumnLayout {
    id: field

    property string label
    property string hint
    property string error
    default property alias content: row.data

    Layout.fillWidth: true
    // Side by side in a RowLayout: equal widths, tops aligned.
    Layout.preferredWidth: 1
    Layout.alignment: Qt.AlignTop
    spacing: 5

    Label {
        visible: field.label !== ""
        text: field.label
        color: Theme.textMuted
        font.pixelSize: Theme.smallFont
        font.bold: true
    }
    RowLayout {
        id: row
        Layout.fillWidth: true
        spacing: 8
    }
    Label {
        Layout.fillWidth: true
        visible: text !== ""
        text: field.error !== "" ? field.error : field.hint
        color: field.error !== "" ? Theme.error : Theme.textMuted
        font.pixelSize: Theme.smallFont
        wrapMode: Text.Wrap
    }
}
