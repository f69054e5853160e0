// A modal dialog in the app's style, centred on the window: a title, the content (children),
// and a footer row of buttons (`buttons`). Content taller than the window scrolls.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

Dialog {
    id: dialog

    default property alias content: body.data
    property alias buttons: footerRow.data
    property int preferredWidth: 560
    // The content column's width (set by the dialog, never by its children).
    readonly property real bodyWidth: body.width

    parent: Overlay.overlay
    anchors.centerIn: parent
    modal: true
    focus: true
    closePolicy: Popup.CloseOnEscape
    width: Math.min(preferredWidth, (parent ? parent.width : preferredWidth) - 48)
    height: Math.min(implicitHeight, (parent ? parent.height : implicitHeight) - 48)
    padding: 0
    topPadding: 0
    bottomPadding: 0

    Overlay.modal: Rectangle { color: Qt.rgba(0, 0, 0, Theme.dark ? 0.55 : 0.35) }

    background: Rectangle {
        radius: Theme.radius + 2
        color: Theme.card
        border.color: Theme.cardBorder
    }

    header: Item {
        implicitHeight: titleLabel.implicitHeight + 36
        Label {
            id: titleLabel
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.verticalCenter: parent.verticalCenter
            anchors.leftMargin: 22
            anchors.rightMargin: 22
            text: dialog.title
            color: Theme.text
            font.pixelSize: Theme.fontSize + 4
            font.bold: true
            elide: Text.ElideRight
        }
    }

    contentItem: Flickable {
        id: flick
        implicitHeight: body.implicitHeight + 8
        contentWidth: width
        contentHeight: body.implicitHeight + 8
        clip: true
        boundsBehavior: Flickable.StopAtBounds
        ScrollBar.vertical: ScrollBar { policy: flick.contentHeight > flick.height ? ScrollBar.AsNeeded : ScrollBar.AlwaysOff }
        ColumnLayout {
            id: body
            x: 22
            width: flick.width - 44
            spacing: 12
        }
    }

    footer: Item {
        implicitHeight: footerRow.implicitHeight + 36
        Rectangle {
            anchors.top: parent.top
            anchors.left: parent.left
            anchors.right: parent.right
            height: 1
            color: Theme.cardBorder
        }
        RowLayout {
            id: footerRow
            anchors.fill: parent
            anchors.leftMargin: 22
            anchors.rightMargin: 22
            anchors.topMargin: 14
            anchors.bottomMargin: 14
            spacing: 8
        }
    }
}
