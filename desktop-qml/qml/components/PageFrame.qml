// The frame of a page that does not scroll as a whole (its lists scroll): the title row, then
// the content (children) filling the rest.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

Item {
    id: page

    property string title
    property string subtitle
    default property alias content: body.data
    property alias actions: actionRow.data

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Theme.pagePadding
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
            id: body
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 16
        }
    }
}
