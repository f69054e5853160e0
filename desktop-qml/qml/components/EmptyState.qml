// What a list shows when it has nothing: a glyph, a title, a sentence, and actions (children).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

ColumnLayout {
    id: empty

    property string glyph: "○"
    property string title
    property string text
    default property alias actions: actionRow.data

    spacing: 8

    Rectangle {
        Layout.alignment: Qt.AlignHCenter
        Layout.bottomMargin: 4
        width: 52
        height: 52
        radius: 26
        color: Theme.accentSoft
        Label {
            anchors.centerIn: parent
            text: empty.glyph
            color: Theme.accent
            font.pixelSize: 24
        }
    }
    Label {
        Layout.fillWidth: true
        horizontalAlignment: Text.AlignHCenter
        text: empty.title
        color: Theme.text
        font.pixelSize: Theme.fontSize + 2
        font.bold: true
        wrapMode: Text.Wrap
    }
    Label {
        Layout.fillWidth: true
        visible: empty.text !== ""
        horizontalAlignment: Text.AlignHCenter
        text: empty.text
        color: Theme.textMuted
        wrapMode: Text.Wrap
    }
    RowLayout {
        id: actionRow
        Layout.alignment: Qt.AlignHCenter
        Layout.topMargin: 6
        spacing: 8
    }
}
