// Providers: a card per provider with its health, capabilities, models and last connection test;
// add, edit, test, enable/disable, reset health and delete.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "providersPage"

    title: qsTr("Providers")
    subtitle: qsTr("Where requests go. Keys are stored encrypted and never shown again.")

    // Connection tests started here: {name: true} while running, {name: {ok, steps}} after.
    property var testing: ({})
    property var results: ({})

    Fmt { id: fmt }
    Catalog { id: catalog }

    function goTo(id) {
        const w = ApplicationWindow.window
        if (w && w.currentPage !== undefined) w.currentPage = id
    }
    function startTest(name) {
        const t = Object.assign({}, testing)
        t[name] = true
        testing = t
        const r = Object.assign({}, results)
        delete r[name]
        results = r
        Backend.testProvider(name)
    }
    function typeTitle(type) {
        for (const p of fmt.list(Backend.providerTypes))
            if (p && p.type === type) return fmt.str(p.title)
        return catalog.typeTitle(type)
    }

    Connections {
        target: Backend
        function onProviderTested(name, ok, steps) {
            const t = Object.assign({}, page.testing)
            delete t[name]
            page.testing = t
            const r = Object.assign({}, page.results)
            r[name] = { ok: ok, steps: fmt.list(steps) }
            page.results = r
        }
    }

    actions: [
        ActionButton {
            objectName: "addProviderButton"
            kind: "primary"
            text: qsTr("Add provider")
            enabled: Backend.connected
            onClicked: editor.openNew()
        }
    ]

    OfflineNotice {
        text: qsTr("Providers are kept by the gateway: start it to see and change them.")
    }

    Card {
        objectName: "providersEmpty"
        Layout.fillWidth: true
        visible: Backend.connected && providerRepeater.count === 0
        padding: 32
        EmptyState {
            Layout.fillWidth: true
            glyph: "＋"
            title: qsTr("No providers yet — add one or use Quick Setup")
            text: qsTr("Paste a key from DeepSeek, OpenAI, Anthropic, Gemini, Kimi, OpenRouter or any OpenAI-compatible endpoint.")
            ActionButton {
                objectName: "emptyAddProvider"
                kind: "primary"
                text: qsTr("Add provider")
                onClicked: editor.openNew()
            }
            ActionButton {
                objectName: "emptyQuickSetup"
                text: qsTr("Quick Setup")
                onClicked: {
                    if (!Backend.quickSetupVisible) Backend.settings.quickSetupForced = true
                    page.goTo("setup")
                }
            }
        }
    }

    // A Flow, not a GridLayout: Qt 6.4's layouts can read a freed delegate when a Repeater
    // inside them changes (QTBUG-like use-after-free in QQuickLayout); positioners do not.
    Flow {
        id: cardGrid
        readonly property int columns: page.width > 860 ? 2 : 1
        readonly property real cellWidth: (page.contentWidth - spacing * (columns - 1)) / columns
        Layout.fillWidth: true
        visible: Backend.connected
        spacing: 16

        Repeater {
            id: providerRepeater
            model: Backend.providers
            delegate: Card {
                id: card
                required property var model
                required property int index
                readonly property string name: fmt.str(model.name)
                readonly property bool enabledNow: model.enabled !== false
                readonly property string health: fmt.str(model.health)
                readonly property string healthKind: !enabledNow || health === "disabled" ? "neutral"
                                                   : health === "ok" ? "ok"
                                                   : health === "open" ? "error"
                                                   : health === "cooling" ? "warn" : "neutral"
                readonly property bool isTesting: page.testing[name] === true
                readonly property var result: page.results[name] ?? null
                readonly property var shownSteps: result ? result.steps
                                                : isTesting ? [] : fmt.list(model.lastTestSteps)
                readonly property var keys: fmt.list(model.keys)

                objectName: "providerCard_" + name
                width: cardGrid.cellWidth
                spacing: 12
                opacity: enabledNow ? 1 : 0.78
                edgeColor: healthKind === "error" ? Theme.error
                                                  : Theme.cardBorder

                // Name, type, enabled.
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 10
                    StatusDot {
                        kind: card.healthKind
                        pulse: card.model.testPending === true || card.isTesting
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            Layout.fillWidth: true
                            text: card.name
                            color: Theme.text
                            font.pixelSize: Theme.fontSize + 3
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            text: page.typeTitle(fmt.str(card.model.type))
                                  + (fmt.str(card.model.protocol) !== ""
                                     ? " · " + catalog.protocolTitle(fmt.str(card.model.protocol)) : "")
                            color: Theme.textMuted
                            font.pixelSize: Theme.smallFont
                            elide: Text.ElideRight
                        }
                    }
                    Toggle {
                        objectName: "providerEnabled_" + card.name
                        checked: card.enabledNow
                        onToggled: Backend.setProviderEnabled(card.name, checked)
                    }
                }

                // Health and capabilities.
                Flow {
                    Layout.fillWidth: true
                    spacing: 6
                    Badge {
                        objectName: "providerHealth_" + card.name
                        text: fmt.str(card.model.healthText) !== "" ? fmt.str(card.model.healthText)
                              : card.enabledNow ? qsTr("healthy") : qsTr("disabled")
                        kind: card.healthKind
                    }
                    Badge {
                        visible: card.model.vision === "yes"
                        text: qsTr("Vision")
                        kind: "accent"
                    }
                    Badge {
                        visible: card.model.vision === "no"
                        text: qsTr("No Vision")
                        kind: "neutral"
                    }
                    Badge {
                        visible: card.model.promptCache === "yes"
                        text: qsTr("Prompt cache")
                        kind: "neutral"
                    }
                    Badge {
                        visible: card.keys.length > 1
                        text: qsTr("%1 keys").arg(card.keys.length)
                        kind: "neutral"
                    }
                    Badge {
                        visible: fmt.str(card.model.anthropicUrl) !== "" || fmt.str(card.model.responsesUrl) !== ""
                        text: qsTr("Native endpoints")
                        kind: "neutral"
                    }
                }

                // Facts.
                GridLayout {
                    Layout.fillWidth: true
                    columns: 2
                    columnSpacing: 14
                    rowSpacing: 5
                    Label { text: qsTr("Base URL"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: fmt.str(card.model.baseUrl) !== "" ? fmt.str(card.model.baseUrl) : fmt.none
                        color: Theme.text
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideMiddle
                    }
                    Label { text: qsTr("Default model"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: (fmt.str(card.model.defaultModel) !== "" ? fmt.str(card.model.defaultModel) : fmt.none)
                              + (fmt.str(card.model.reasoningModel) !== ""
                                 ? "  ·  " + qsTr("reasoning: %1").arg(fmt.str(card.model.reasoningModel)) : "")
                        color: Theme.text
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                    Label { text: qsTr("Keys"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: card.keys.length > 0 ? card.keys.join("  ") : qsTr("none")
                        color: card.keys.length > 0 ? Theme.text : Theme.warn
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                    Label { text: qsTr("Last test"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                    Label {
                        Layout.fillWidth: true
                        text: card.isTesting ? qsTr("testing…")
                              : card.result ? (card.result.ok ? qsTr("ok just now") : qsTr("failed just now"))
                              : fmt.str(card.model.lastTestText) !== "" ? fmt.str(card.model.lastTestText)
                              : qsTr("never tested")
                        color: card.isTesting ? Theme.accent
                             : (card.result ? card.result.ok : card.model.lastTestOk) === true ? Theme.ok
                             : (card.result ? card.result.ok : card.model.lastTestOk) === false ? Theme.error
                             : Theme.textMuted
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                }

                // Why it is not healthy.
                Label {
                    Layout.fillWidth: true
                    visible: text !== "" && card.health !== "ok"
                    text: fmt.str(card.model.healthDetail) !== "" ? fmt.str(card.model.healthDetail)
                                                                  : fmt.str(card.model.lastError)
                    color: card.healthKind === "error" ? Theme.error : Theme.warn
                    font.pixelSize: Theme.smallFont
                    wrapMode: Text.Wrap
                    maximumLineCount: 3
                    elide: Text.ElideRight
                }

                // The connection test: config → gateway → provider.
                StepBar {
                    objectName: "providerSteps_" + card.name
                    Layout.fillWidth: true
                    Layout.topMargin: 2
                    visible: card.isTesting || card.result !== null || card.model.lastTestOk === false
                    running: card.isTesting
                    hideSkippedExtras: true
                    steps: card.shownSteps
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
                        objectName: "testProvider_" + card.name
                        compact: true
                        text: qsTr("Test connection")
                        busy: card.isTesting
                        enabled: !card.isTesting
                        onClicked: page.startTest(card.name)
                    }
                    ActionButton {
                        objectName: "editProvider_" + card.name
                        compact: true
                        text: qsTr("Edit")
                        onClicked: editor.openEdit(Backend.providers.get(card.index))
                    }
                    ActionButton {
                        objectName: "resetProvider_" + card.name
                        compact: true
                        visible: card.health === "cooling" || card.health === "open"
                        text: qsTr("Reset health")
                        onClicked: Backend.resetProviderHealth(card.name)
                    }
                    Item { Layout.fillWidth: true }
                    ActionButton {
                        objectName: "deleteProvider_" + card.name
                        compact: true
                        kind: "danger"
                        text: qsTr("Delete")
                        onClicked: {
                            deleteConfirm.target = card.name
                            deleteConfirm.open()
                        }
                    }
                }
            }
        }
    }

    ProviderEditor {
        id: editor
    }

    ConfirmDialog {
        id: deleteConfirm
        objectName: "deleteProviderConfirm"
        property string target
        title: qsTr("Delete %1?").arg(target)
        message: qsTr("The provider, its keys and the route rules that name it are removed. Clients keep working through the other providers.")
        confirmText: qsTr("Delete")
        onConfirmed: Backend.deleteProvider(target)
    }
}
