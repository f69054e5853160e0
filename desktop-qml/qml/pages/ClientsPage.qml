// Clients: the coding agents the gateway can configure (Codex CLI, Claude Code, Gemini CLI,
// OpenCode, Qwen Code, Kimi Code, Factory Droid, Crush, AtomCode) — whether each is installed
// and points at this gateway; apply (edits the client's own config, with a backup), switch
// back to the official setup, and test config → gateway → provider.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "clientsPage"

    title: qsTr("Clients")
    subtitle: qsTr("Point your coding agents at the gateway. Only AgentGate's own settings change in their config files, and the originals are kept.")

    // Tests started here: {client: true} while running; {client: steps} after.
    property var testing: ({})
    property var results: ({})

    Fmt { id: fmt }

    function startTest(name) {
        const t = Object.assign({}, testing)
        t[name] = true
        testing = t
        const r = Object.assign({}, results)
        delete r[name]
        results = r
        Backend.testClient(name)
    }

    Connections {
        target: Backend
        function onClientTested(client, steps) {
            const t = Object.assign({}, page.testing)
            delete t[client]
            page.testing = t
            const r = Object.assign({}, page.results)
            r[client] = fmt.list(steps)
            page.results = r
        }
    }

    actions: [
        ActionButton {
            objectName: "clientsRefresh"
            text: qsTr("Refresh")
            onClicked: Backend.refresh()
        }
    ]

    Card {
        Layout.fillWidth: true
        visible: !Backend.connected
        padding: 14
        edgeColor: Theme.warn
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Label {
                Layout.fillWidth: true
                text: qsTr("The gateway is not running: clients that point at it cannot work, and applying needs its address and token.")
                color: Theme.text
                wrapMode: Text.Wrap
            }
            ActionButton {
                objectName: "clientsStartGateway"
                kind: "primary"
                text: qsTr("Start gateway")
                busy: Backend.busy
                enabled: !Backend.busy
                onClicked: Backend.startStack()
            }
        }
    }

    Label {
        Layout.fillWidth: true
        visible: clientRepeater.count === 0
        text: qsTr("Looking for clients…")
        color: Theme.textMuted
    }

    // A Flow, not a GridLayout (a Repeater in a Qt 6.4 layout can crash when its rows change).
    Flow {
        id: cardGrid
        readonly property int columns: page.width > 860 ? 2 : 1
        readonly property real cellWidth: (page.contentWidth - spacing * (columns - 1)) / columns
        Layout.fillWidth: true
        spacing: 16

        Repeater {
            id: clientRepeater
            model: Backend.clients
            delegate: Card {
                id: card
                // Roles of Backend.clients ("model" is one of them, so each is named).
                required property var name
                required property var title
                required property var installed
                required property var binary
                required property var pointing
                required property var pointingText
                required property var baseUrl
                required property var model
                required property var tokenMatches
                required property var configPath
                required property var backedUp
                required property var problems

                readonly property string id_: fmt.str(name)
                readonly property bool atGateway: pointing === "gateway" || pointing === true
                readonly property bool stale: atGateway && tokenMatches === false
                readonly property bool isTesting: page.testing[id_] === true
                readonly property var steps: page.results[id_] ?? []

                objectName: "clientCard_" + id_
                width: cardGrid.cellWidth
                spacing: 12
                edgeColor: atGateway && !stale ? fmt.tint(Theme.ok, 0.5) : Theme.cardBorder

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 10
                    Rectangle {
                        width: 36
                        height: 36
                        radius: 9
                        color: card.atGateway ? Theme.accentSoft : Theme.window
                        border.color: Theme.cardBorder
                        Label {
                            anchors.centerIn: parent
                            text: fmt.str(card.title).charAt(0) || "?"
                            color: card.atGateway ? Theme.accent : Theme.textMuted
                            font.bold: true
                            font.pixelSize: Theme.fontSize + 2
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 1
                        Label {
                            Layout.fillWidth: true
                            text: fmt.str(card.title) !== "" ? fmt.str(card.title) : card.id_
                            color: Theme.text
                            font.pixelSize: Theme.fontSize + 3
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            text: card.installed === true
                                  ? (fmt.str(card.binary) !== "" ? fmt.str(card.binary) : qsTr("installed"))
                                  : qsTr("not installed (not on PATH)")
                            color: Theme.textMuted
                            font.pixelSize: Theme.smallFont
                            font.family: card.installed === true && fmt.str(card.binary) !== "" ? Theme.mono : Qt.application.font.family
                            elide: Text.ElideMiddle
                        }
                    }
                    Badge {
                        objectName: "clientStatus_" + card.id_
                        text: card.stale ? qsTr("stale token")
                            : card.atGateway ? qsTr("uses AgentGate")
                            : card.pointing === "elsewhere" ? qsTr("official")
                            : qsTr("not set up")
                        kind: card.stale ? "warn" : card.atGateway ? "ok" : "neutral"
                    }
                }

                Label {
                    Layout.fillWidth: true
                    text: fmt.str(card.pointingText)
                    visible: text !== ""
                    color: Theme.text
                    wrapMode: Text.Wrap
                }

                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: 14
                    rowSpacing: 5
                    Label { text: qsTr("Config file"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: fmt.str(card.configPath) !== "" ? fmt.str(card.configPath) : fmt.none
                        color: Theme.text
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideMiddle
                    }
                    Label { text: qsTr("Talks to"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: fmt.str(card.baseUrl) !== "" ? fmt.str(card.baseUrl) : qsTr("its official service")
                        color: Theme.text
                        font.family: fmt.str(card.baseUrl) !== "" ? Theme.mono : Qt.application.font.family
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideMiddle
                    }
                    Label {
                        visible: fmt.str(card.model) !== ""
                        text: qsTr("Model")
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: fmt.str(card.model) !== ""
                        text: fmt.str(card.model)
                        color: Theme.text
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                    Label { text: qsTr("Backup"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: card.backedUp === true ? qsTr("the original config is kept") : qsTr("none yet")
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                    }
                }

                Column {
                    Layout.fillWidth: true
                    visible: fmt.list(card.problems).length > 0
                    spacing: 4
                    Repeater {
                        model: fmt.list(card.problems)
                        delegate: Label {
                            required property var modelData
                            width: card.contentWidth
                            text: "⚠ " + String(modelData)
                            color: Theme.warn
                            font.pixelSize: Theme.smallFont
                            wrapMode: Text.Wrap
                        }
                    }
                }

                // config → gateway → provider
                StepBar {
                    objectName: "clientSteps_" + card.id_
                    Layout.fillWidth: true
                    Layout.topMargin: 4
                    names: ["config", "gateway", "provider"]
                    steps: card.steps
                    running: card.isTesting
                }

                Rectangle {
                    Layout.fillWidth: true
                    height: 1
                    color: Theme.cardBorder
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 6
                    ActionButton {
                        objectName: "applyButton_" + card.id_
                        kind: card.atGateway && !card.stale ? "secondary" : "primary"
                        compact: true
                        text: card.atGateway ? qsTr("Apply again") : qsTr("Apply")
                        enabled: Backend.connected
                        onClicked: Backend.applyClient(card.id_)
                    }
                    ActionButton {
                        objectName: "testButton_" + card.id_
                        compact: true
                        text: qsTr("Test")
                        busy: card.isTesting
                        enabled: Backend.connected && !card.isTesting
                        onClicked: page.startTest(card.id_)
                    }
                    Item { Layout.fillWidth: true }
                    ActionButton {
                        objectName: "restoreButton_" + card.id_
                        compact: true
                        kind: "ghost"
                        text: qsTr("Switch back to official")
                        enabled: card.backedUp === true || card.atGateway
                        onClicked: {
                            restoreConfirm.client = card.id_
                            restoreConfirm.clientTitle = fmt.str(card.title)
                            restoreConfirm.open()
                        }
                    }
                }
            }
        }
    }

    ConfirmDialog {
        id: restoreConfirm
        objectName: "restoreClientConfirm"
        property string client
        property string clientTitle
        danger: false
        title: qsTr("Switch %1 back to official?").arg(clientTitle)
        message: qsTr("Its original config comes back; changes you made since are kept, and only AgentGate's settings are undone.")
        confirmText: qsTr("Switch back")
        onConfirmed: Backend.restoreClient(client)
    }
}
