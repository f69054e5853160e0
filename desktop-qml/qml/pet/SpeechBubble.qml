// A speech bubble with a tail pointing down at the pet. Fades in when `text` is set and out when
// it is cleared (keeping the old text while it fades).
import QtQuick

Item {
    id: bubble
    property string text: ""
    property real maxWidth: 220
    property bool animated: true
    property color fill: "#fffaf2"
    property color ink: "#3a2c20"
    property color edge: "#e2c9a6"

    property string shown: ""
    onTextChanged: if (text !== "") shown = text
    Component.onCompleted: shown = text

    width: Math.min(maxWidth, label.implicitWidth + 24)
    height: label.height + 16 + 8
    opacity: text !== "" ? 1 : 0
    visible: opacity > 0
    Behavior on opacity { enabled: bubble.animated; NumberAnimation { duration: 250 } }
    scale: text !== "" || !animated ? 1 : 0.85
    transformOrigin: Item.Bottom
    Behavior on scale { enabled: bubble.animated; NumberAnimation { duration: 250; easing.type: Easing.OutBack } }

    Rectangle {
        id: box
        width: parent.width
        height: parent.height - 8
        radius: 12
        color: bubble.fill
        border.color: bubble.edge
        border.width: 1.5
    }
    // The tail: a rotated square under the box, its top half hidden by a patch of fill.
    Rectangle {
        width: 12
        height: 12
        rotation: 45
        x: parent.width / 2 - 6
        y: box.height - 7
        color: bubble.fill
        border.color: bubble.edge
        border.width: 1.5
        antialiasing: true
    }
    Rectangle {
        width: 20
        height: 8
        x: parent.width / 2 - 10
        y: box.height - 9.5
        color: bubble.fill
    }
    Text {
        id: label
        x: 12
        y: 8
        width: Math.min(bubble.maxWidth - 24, implicitWidth)
        text: bubble.shown
        wrapMode: Text.Wrap
        color: bubble.ink
        font.pixelSize: 13
        horizontalAlignment: Text.AlignHCenter
    }
}
