// The frame of a page that scrolls: its title and subtitle with actions on the right, then the
// content (children, laid out in a column as wide as the page).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

Item {
    id: page

    property string title
    property string subtitle
    default property alias content: column.data
    property alias actions: actionRow.data
    property alias flickable: flick
    // The content column's width (set by the page, never by its children).
    readonly property real contentWidth: outer.width
    // Wide windows keep the content at a readable width.
    property int maxContentWidth: 1240

    Flickable {
        id: flick
        anchors.fill: parent
        contentWidth: width
        contentHeight: outer.implicitHeight + 2 * Theme.pagePadding
        boundsBehavior: Flickable.StopAtBounds
        clip: true
        ScrollBar.vertical: ScrollBar { }

        ColumnLayout {
            id: outer
            y: Theme.pagePadding
            width: Math.min(flick.width - 2 * Theme.pagePadding, page.maxContentWidth)
            x: (flick.width - width) / 2
            spacing: 18

            RowLayout {
                Layout.fillWidth: true
                spacing: Theme.spacing
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 4
                    Label {
                        Layout.fillWidth: true
                        text: page.title
                        color: Theme.text
                        font.pixelSize: Theme.titleFont
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: page.subtitle !== ""
                        text: page.subtitle
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                    }
                }
                RowLayout {
                    id: actionRow
                    Layout.alignment: Qt.AlignVCenter
                    spacing: 8
                }
            }

            ColumnLayout {
                id: column
                Layout.fillWidth: true
                spacing: 16
            }
        }
    }
}
