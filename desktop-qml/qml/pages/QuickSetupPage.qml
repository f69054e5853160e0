// Quick Setup: paste a key → the provider is detected → pick the agents → set up (the provider
// is added and tested, and the agents are pointed at the gateway). Offered while no provider
// exists, or when Settings › "Show Quick Setup" is on.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "quickSetupPage"

    title: qsTr("Quick Setup")
    subtitle: qsTr("From an API key to working agents in one step.")

    property bool showKey: false
    // Progress of the running setup: [{name, ok, detail}], and whether it is running / done.
    property var progress: []
    property bool running: false
    property bool finished: false
    property bool succeeded: false
    property string failure: ""
    // The clients the user unticked / ticked ({name: bool}); default: the installed ones.
    property var picks: ({})

    readonly property string key: keyField.text.trim()
    readonly property var detected: key.length >= 8 ? (Backend.detectKey(key) ?? ({})) : ({})
    readonly property bool known: detected.known === true
    // Presets a key alone can set up (a custom endpoint needs a base URL: Providers page).
    readonly property var presets: fmt.list(Backend.providerTypes).length > 0
        ? fmt.list(Backend.providerTypes).filter(p => p && fmt.str(p.baseUrl) !== "")
              .map(p => ({ value: fmt.str(p.type), text: fmt.str(p.title) || fmt.str(p.type) }))
        : catalog.providerTypes.filter(p => p.value !== "custom_openai_compatible")
    property string chosenType: ""
    readonly property string type: chosenType !== "" ? chosenType : known ? fmt.str(detected.type) : ""
    readonly property var chosenClients: clientRows.rows.filter(c => page.isPicked(c)).map(c => fmt.str(c.name))

    Fmt { id: fmt }
    Catalog { id: catalog }
    ModelRows { id: clientRows; model: Backend.clients }
    ModelRows { id: providerRows; model: Backend.providers }

    function isPicked(c) {
        const n = fmt.str(c.name)
        return picks[n] !== undefined ? picks[n] === true : c.installed === true
    }
    function setPicked(name, on) {
        const p = Object.assign({}, picks)
        p[name] = on
        picks = p
    }
    function presetIndex(t) {
        for (let i = 0; i < presets.length; ++i)
            if (presets[i].value === t) return i
        return -1
    }
    function start() {
        progress = []
        failure = ""
        finished = false
        succeeded = false
        running = true
        Backend.quickSetup(key, type, chosenClients)
    }
    function goTo(id) {
        const w = ApplicationWindow.window
        if (w && w.currentPage !== undefined) w.currentPage = id
    }

    onDetectedChanged: chosenType = ""

    Connections {
        target: Backend
        function onQuickSetupProgress(step, ok, message) {
            if (step === "done") {
                page.running = false
                page.finished = true
                page.succeeded = ok
                if (!ok) page.failure = fmt.str(message)
                return
            }
            page.progress = page.progress.concat([{ name: step, ok: ok, detail: fmt.str(message) }])
            if (!ok) {
                page.running = false
                page.finished = true
                page.succeeded = false
                page.failure = fmt.str(message)
            }
        }
    }

    Card {
        Layout.fillWidth: true
        visible: providerRows.rows.length > 0
        padding: 14
        Label {
            Layout.fillWidth: true
            text: qsTr("Providers set up already: %1. This adds one more; Settings can hide Quick Setup again.").arg(
                       providerRows.rows.length)
            color: Theme.textMuted
            wrapMode: Text.Wrap
        }
    }

    // --- 1. the key --------------------------------------------------------------------------
    Card {
        objectName: "setupKeyCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("1  Paste your API key")
            subtitle: qsTr("It is stored encrypted by your gateway and never leaves this machine except to its provider.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            InputField {
                id: keyField
                objectName: "setupKey"
                Layout.fillWidth: true
                mono: true
                placeholderText: "sk-…"
                echoMode: page.showKey ? TextInput.Normal : TextInput.Password
                enabled: !page.running
            }
            ActionButton {
                objectName: "setupShowKey"
                text: page.showKey ? qsTr("Hide") : qsTr("Show")
                onClicked: page.showKey = !page.showKey
            }
        }
        RowLayout {
            Layout.fillWidth: true
            visible: page.key !== ""
            spacing: 10
            Badge {
                objectName: "setupDetected"
                text: page.known ? qsTr("Detected: %1").arg(fmt.str(page.detected.title))
                                 : qsTr("Not recognised")
                kind: page.known ? "ok" : "warn"
            }
            Label {
                Layout.fillWidth: true
                text: page.known
                      ? [fmt.str(page.detected.baseUrl), fmt.str(page.detected.defaultModel)].filter(s => s !== "").join("  ·  ")
                      : qsTr("Pick the provider this key belongs to:")
                color: Theme.textMuted
                font.family: page.known ? Theme.mono : Qt.application.font.family
                font.pixelSize: Theme.smallFont
                elide: Text.ElideRight
            }
            Select {
                id: typeSelect
                objectName: "setupType"
                Layout.preferredWidth: 220
                model: page.presets
                textRole: "text"
                valueRole: "value"
                currentIndex: page.presetIndex(page.type)
                displayText: currentIndex >= 0 ? currentText : qsTr("Choose…")
                onActivated: (i) => page.chosenType = page.presets[i].value
            }
        }
        Label {
            Layout.fillWidth: true
            text: qsTr("A custom OpenAI-compatible endpoint needs its base URL: add it on the Providers page.")
            color: Theme.textMuted
            font.pixelSize: Theme.smallFont
            wrapMode: Text.Wrap
        }
    }

    // --- 2. the agents -------------------------------------------------------------------------
    Card {
        id: clientsCard
        objectName: "setupClientsCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("2  Pick the agents that should use it")
            subtitle: qsTr("Their config files get AgentGate's address and token; the originals are kept, and you can switch back on the Clients page.")
        }
        Label {
            visible: clientRows.rows.length === 0
            text: qsTr("Looking for installed agents…")
            color: Theme.textMuted
        }
        // A Flow, not a GridLayout: the rows change with each clients refresh, and a Repeater
        // rebuilding inside a Qt 6.4 layout can crash it.
        Flow {
            id: pickGrid
            readonly property int columns: page.width > 760 ? 4 : 2
            readonly property real cellWidth: (clientsCard.contentWidth - spacing * (columns - 1)) / columns
            Layout.fillWidth: true
            spacing: 10
            Repeater {
                model: clientRows.rows
                delegate: AbstractButton {
                    id: pick
                    required property var modelData
                    readonly property bool on: page.isPicked(modelData)
                    objectName: "setupClient_" + fmt.str(modelData.name)
                    width: pickGrid.cellWidth
                    implicitHeight: 64
                    hoverEnabled: true
                    enabled: !page.running
                    onClicked: page.setPicked(fmt.str(modelData.name), !on)
                    background: Rectangle {
                        radius: 10
                        color: pick.on ? Theme.accentSoft : pick.hovered ? Theme.window : Theme.input
                        border.width: pick.on ? 2 : 1
                        border.color: pick.on ? Theme.accent : Theme.cardBorder
                    }
                    contentItem: RowLayout {
                        spacing: 10
                        Rectangle {
                            Layout.leftMargin: 12
                            width: 20
                            height: 20
                            radius: 6
                            color: pick.on ? Theme.accent : "transparent"
                            border.width: pick.on ? 0 : 1.5
                            border.color: Theme.textMuted
                            Label {
                                anchors.centerIn: parent
                                visible: pick.on
                                text: "✓"
                                color: Theme.accentText
                                font.bold: true
                            }
                        }
                        ColumnLayout {
                            Layout.fillWidth: true
                            spacing: 1
                            Label {
                                Layout.fillWidth: true
                                text: fmt.str(pick.modelData.title)
                                color: Theme.text
                                font.bold: true
                                elide: Text.ElideRight
                            }
                            Label {
                                Layout.fillWidth: true
                                text: pick.modelData.installed === true ? qsTr("installed") : qsTr("not installed yet")
                                color: Theme.textMuted
                                font.pixelSize: Theme.smallFont
                                elide: Text.ElideRight
                            }
                        }
                    }
                }
            }
        }
    }

    // --- 3. go ------------------------------------------------------------------------------
    Card {
        objectName: "setupRunCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("3  Set up")
            subtitle: Backend.connected ? qsTr("Adds the provider, tests it, then points the agents at the gateway.")
                                        : qsTr("The gateway is started first, then the provider is added and tested, and the agents are pointed at it.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            ActionButton {
                objectName: "setupRun"
                kind: "primary"
                text: page.finished && !page.succeeded ? qsTr("Try again") : qsTr("Set up")
                busy: page.running
                enabled: !page.running && page.key !== "" && page.type !== ""
                onClicked: page.start()
            }
            Label {
                Layout.fillWidth: true
                text: page.key === "" ? qsTr("Paste a key first.")
                    : page.type === "" ? qsTr("Pick the provider of the key.")
                    : page.chosenClients.length === 0 ? qsTr("No agent picked: only the provider is added.")
                    : qsTr("Agents to set up: %1.").arg(page.chosenClients.length)
                color: Theme.textMuted
                wrapMode: Text.Wrap
            }
        }
        StepBar {
            objectName: "setupProgress"
            Layout.fillWidth: true
            Layout.topMargin: 6
            visible: page.running || page.finished
            names: ["provider", "test", "clients"]
            titles: ({ provider: qsTr("Add provider"), test: qsTr("Test"), clients: qsTr("Configure agents") })
            steps: page.progress
            running: page.running
        }
        Rectangle {
            objectName: "setupResult"
            Layout.fillWidth: true
            visible: page.finished
            implicitHeight: resultRow.implicitHeight + 24
            radius: 8
            color: fmt.tint(page.succeeded ? Theme.ok : Theme.error, Theme.dark ? 0.14 : 0.10)
            border.color: fmt.tint(page.succeeded ? Theme.ok : Theme.error, 0.5)
            RowLayout {
                id: resultRow
                anchors.fill: parent
                anchors.margins: 12
                spacing: 12
                Label {
                    Layout.fillWidth: true
                    text: page.succeeded ? qsTr("All set. Your agents now go through AgentGate.")
                                         : (page.failure !== "" ? page.failure : qsTr("The setup did not finish."))
                    color: Theme.text
                    wrapMode: Text.Wrap
                }
                ActionButton {
                    visible: page.succeeded
                    kind: "primary"
                    text: qsTr("Go to Overview")
                    onClicked: page.goTo("overview")
                }
            }
        }
    }
}
