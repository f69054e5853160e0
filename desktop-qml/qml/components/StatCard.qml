// One number on the Overview: a caption, the value large, and a line under it.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

Card {
    id: stat

    property string label
    property string value
    property string caption
    property string glyph
    property color valueColor: Theme.text

    Layout.fillWidth: true
    Layout.preferredWidth: 1
    spacing: 6

    RowLayout {
        Layout.fillWidth: true
        spacing: 8
        Label {
            Layout.fillWidth: true
            text: stat.label
            color: Theme.textMuted
            font.pixelSize: Theme.smallFont
            font.bold: true
            font.capitalization: Font.AllUppercase
            font.letterSpacing: 0.6
            elide: Text.ElideRight
        }
        Label {
            visible: stat.glyph !== ""
            text: stat.glyph
            color: Theme.accent
            font.pixelSize: Theme.fontSize + 2
        }
    }
    Label {
        objectName: stat.objectName !== "" ? stat.objectName + "_value" : ""
        Layout.fillWidth: true
        text: stat.value
        color: stat.valueColor
        font.pixelSize: 26
        font.bold: true
        elide: Text.ElideRight
    }
    Label {
        Layout.fillWidth: true
        visible: stat.caption !== ""
        text: stat.caption
        color: Theme.textMuted
        font.pixelSize: Theme.smallFont
        elide: Text.ElideRight
    }
}
