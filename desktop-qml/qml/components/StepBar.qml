// A connection bar of steps, e.g. config → gateway → provider: each a circle (✓ passed, ✕
// failed, – skipped, a number while not run) joined by lines, with its title and detail under
// it. `names` fixes the order shown before any result; `steps` are results [{name, ok,
// skipped, detail}]; `running` marks the first step without a result as in progress.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

Item {
    id: bar

    property var names: ["config", "gateway", "provider"]
    property var steps: []
    property bool running: false
    // Steps beyond `names` (vision, prompt_cache, models) are shown unless they were skipped
    // and this is set.
    property bool hideSkippedExtras: false
    // Titles for step names not in Catalog.stepTitle: {name: title}.
    property var titles: ({})
    function titleFor(n) {
        return titles && titles[n] !== undefined ? String(titles[n]) : catalog.stepTitle(n)
    }

    Catalog { id: catalog }

    // One entry per step: {name, state: ok|fail|skipped|running|idle, detail}.
    readonly property var items: {
        const res = Array.isArray(steps) ? steps : []
        const order = (Array.isArray(names) ? names.slice() : [])
        for (const s of res)
            if (s && s.name !== undefined && order.indexOf(String(s.name)) < 0
                    && !(hideSkippedExtras && s.skipped === true))
                order.push(String(s.name))
        const out = []
        let runningMarked = false
        for (const n of order) {
            let r = null
            for (const s of res)
                if (s && String(s.name) === n) r = s
            let state = "idle"
            if (r) state = r.skipped === true ? "skipped" : r.ok === true ? "ok" : "fail"
            else if (running && !runningMarked) { state = "running"; runningMarked = true }
            out.push({ name: n, state: state, detail: r && r.detail !== undefined ? String(r.detail) : "" })
        }
        return out
    }

    implicitHeight: row.implicitHeight
    implicitWidth: 360

    // A Row, not a RowLayout: the steps change as results arrive, and a Repeater rebuilding
    // inside a Qt 6.4 layout can crash it.
    Row {
        id: row
        anchors.left: parent.left
        anchors.right: parent.right

        Repeater {
            model: bar.items
            delegate: Item {
                id: stepCell
                required property var modelData
                required property int index
                objectName: bar.objectName !== "" ? bar.objectName + "_" + modelData.name : ""
                width: row.width / Math.max(1, bar.items.length)
                implicitHeight: stepItem.implicitHeight
            ColumnLayout {
                id: stepItem
                readonly property var modelData: stepCell.modelData
                readonly property int index: stepCell.index
                readonly property string state: modelData.state
                readonly property color tone: state === "ok" ? Theme.ok
                                            : state === "fail" ? Theme.error
                                            : state === "running" ? Theme.accent
                                            : Theme.textMuted
                anchors.left: parent.left
                anchors.right: parent.right
                spacing: 6

                Item {
                    Layout.fillWidth: true
                    implicitHeight: 26
                    // The line from the previous step and to the next.
                    Rectangle {
                        visible: stepItem.index > 0
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.left: parent.left
                        anchors.right: parent.horizontalCenter
                        anchors.rightMargin: 15
                        height: 2
                        color: stepItem.state === "ok" || stepItem.state === "fail"
                               ? stepItem.tone
                               : Theme.cardBorder
                    }
                    Rectangle {
                        visible: stepItem.index < bar.items.length - 1
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.left: parent.horizontalCenter
                        anchors.right: parent.right
                        anchors.leftMargin: 15
                        height: 2
                        color: stepItem.state === "ok" ? Theme.ok : Theme.cardBorder
                    }
                    Rectangle {
                        anchors.centerIn: parent
                        width: 26
                        height: 26
                        radius: 13
                        color: stepItem.state === "ok" || stepItem.state === "fail"
                               ? stepItem.tone : Theme.input
                        border.width: stepItem.state === "ok" || stepItem.state === "fail" ? 0 : 2
                        border.color: stepItem.tone
                        Label {
                            anchors.centerIn: parent
                            visible: stepItem.state !== "running"
                            text: stepItem.state === "ok" ? "✓"
                                : stepItem.state === "fail" ? "✕"
                                : stepItem.state === "skipped" ? "–"
                                : String(stepItem.index + 1)
                            color: stepItem.state === "ok" || stepItem.state === "fail"
                                   ? Theme.card : Theme.textMuted
                            font.bold: true
                            font.pixelSize: Theme.smallFont
                        }
                        Rectangle {
                            visible: stepItem.state === "running"
                            anchors.centerIn: parent
                            width: 8
                            height: 8
                            radius: 4
                            color: Theme.accent
                            SequentialAnimation on opacity {
                                running: stepItem.state === "running"
                                loops: Animation.Infinite
                                NumberAnimation { from: 1; to: 0.2; duration: 500 }
                                NumberAnimation { from: 0.2; to: 1; duration: 500 }
                            }
                        }
                    }
                }
                Label {
                    Layout.fillWidth: true
                    horizontalAlignment: Text.AlignHCenter
                    text: bar.titleFor(stepItem.modelData.name)
                    color: stepItem.state === "idle" ? Theme.textMuted : Theme.text
                    font.bold: stepItem.state !== "idle"
                    font.pixelSize: Theme.smallFont
                    elide: Text.ElideRight
                }
                Label {
                    Layout.fillWidth: true
                    Layout.leftMargin: 4
                    Layout.rightMargin: 4
                    visible: text !== ""
                    horizontalAlignment: Text.AlignHCenter
                    text: stepItem.modelData.detail
                    color: stepItem.state === "fail" ? Theme.error : Theme.textMuted
                    font.pixelSize: Theme.smallFont - 1
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                }
            }
            }
        }
    }
}
