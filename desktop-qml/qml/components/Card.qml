// A rounded panel on the page background; children go into a column with `padding` around it.
import QtQuick
import QtQuick.Layouts
import AgentGate.Ui

Rectangle {
    id: card

    default property alias content: body.data
    property int padding: 18
    property alias spacing: body.spacing
    // The width children get (set from outside, never from the children): what rows in a
    // positioner inside the card bind their width to, so no size loops through a layout.
    readonly property real contentWidth: width - 2 * padding
    // Highlights the card's edge (selected, or an error state).
    property color edgeColor: Theme.cardBorder

    color: Theme.card
    radius: Theme.radius
    border.color: edgeColor
    border.width: 1
    implicitWidth: body.implicitWidth + 2 * padding
    implicitHeight: body.implicitHeight + 2 * padding

    ColumnLayout {
        id: body
        anchors.fill: parent
        anchors.margins: card.padding
        spacing: 10
    }
}
