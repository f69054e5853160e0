// A row of mutually exclusive choices (theme, language, route mode). `options`: [{value, text}];
// `value` is the selected one; `activated(value)` when the user picks another.
import QtQuick
import QtQuick.Controls
import AgentGate.Ui

Rectangle {
    id: seg

    property var options: []
    property string value
    signal activated(string value)

    implicitWidth: row.implicitWidth + 6
    implicitHeight: 34
    radius: 9
    color: Theme.input
    border.color: Theme.cardBorder
    opacity: enabled ? 1 : 0.5

    Row {
        id: row
        anchors.centerIn: parent
        spacing: 2
        Repeater {
            model: seg.options
            delegate: AbstractButton {
                id: opt
                required property var modelData
                readonly property bool selected: seg.value === (modelData.value ?? "")
                objectName: seg.objectName !== "" ? seg.objectName + "_" + (modelData.value ?? "") : ""
                implicitWidth: Math.max(64, optLabel.implicitWidth + 24)
                implicitHeight: 28
                hoverEnabled: true
                onClicked: if (!selected) seg.activated(modelData.value ?? "")
                background: Rectangle {
                    radius: 7
                    color: opt.selected ? Theme.accent : opt.hovered ? Theme.accentSoft : "transparent"
                }
                contentItem: Label {
                    id: optLabel
                    text: opt.modelData.text ?? ""
                    color: opt.selected ? Theme.accentText : Theme.text
                    font.bold: opt.selected
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
            }
        }
    }
}
