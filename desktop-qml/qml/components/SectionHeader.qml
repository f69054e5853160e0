// A card's title row: title, optional subtitle, and actions (children) on the right.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

RowLayout {
    id: header

    property string title
    property string subtitle
    default property alias actions: actionRow.data

    Layout.fillWidth: true
    spacing: Theme.spacing

    ColumnLayout {
        Layout.fillWidth: true
        spacing: 2
        Label {
            Layout.fillWidth: true
            text: header.title
            color: Theme.text
            font.pixelSize: Theme.fontSize + 2
            font.bold: true
            elide: Text.ElideRight
        }
        Label {
            Layout.fillWidth: true
            visible: header.subtitle !== ""
            text: header.subtitle
            color: Theme.textMuted
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
    }
    RowLayout {
        id: actionRow
        spacing: 8
    }
}
