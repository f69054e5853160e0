// Diagnostics: the stack's self-check (each problem with its fix) and a bundle for a bug report
// (keys and tokens redacted).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "diagnosticsPage"

    title: qsTr("Diagnostics")
    subtitle: qsTr("Check that everything is in order, and make a bundle for a bug report.")

    property bool checking: false
    property bool exporting: false
    property var exportResult: null   // {path, ok, message}

    Fmt { id: fmt }
    ModelRows { id: checkRows; model: Backend.checks }

    readonly property int okCount: checkRows.rows.filter(c => c && c.severity === "ok").length
    readonly property int warnCount: checkRows.rows.filter(c => c && c.severity === "warn").length
    readonly property int failCount: checkRows.rows.filter(c => c && c.severity === "fail").length

    // The folder for the bundle: the user's home (the parent of ~/.agentgate), else the data folder.
    readonly property string defaultFolder: {
        const home = fmt.str(Backend.home)
        if (home.endsWith("/.agentgate")) return home.substring(0, home.length - "/.agentgate".length)
        return home
    }
    function defaultPath() {
        return (defaultFolder !== "" ? defaultFolder + "/" : "")
               + "agentgate-bundle-" + Qt.formatDateTime(new Date(), "yyyyMMdd-HHmm") + ".tar.gz"
    }
    function runCheck() {
        checking = true
        checkTimeout.restart()
        Backend.runSelfCheck()
    }

    Component.onCompleted: bundlePath.text = defaultPath()

    Timer {
        id: checkTimeout
        interval: 20000
        onTriggered: page.checking = false
    }
    Connections {
        target: Backend.checks
        function onCountChanged() { page.checking = false }
        function onDataChanged() { page.checking = false }
        function onModelReset() { page.checking = false }
    }
    Connections {
        target: Backend
        function onBundleExported(path, ok, message) {
            page.exporting = false
            page.exportResult = { path: fmt.str(path), ok: ok, message: fmt.str(message) }
        }
        function onLastErrorChanged() { page.checking = false }
    }

    // --- self-check ---------------------------------------------------------------------------
    Card {
        id: selfCheckCard
        objectName: "selfCheckCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Self-check")
            subtitle: qsTr("Services up and on one version, config and databases sound, secret files private, each provider's last test, clocks.")
            ActionButton {
                objectName: "runSelfCheckButton"
                kind: "primary"
                text: checkRows.rows.length > 0 ? qsTr("Run again") : qsTr("Run self-check")
                busy: page.checking
                enabled: !page.checking
                onClicked: page.runCheck()
            }
        }

        RowLayout {
            visible: checkRows.rows.length > 0
            spacing: 8
            Badge { text: qsTr("Passed: %1").arg(page.okCount); kind: "ok"; visible: page.okCount > 0 }
            Badge { text: qsTr("Warnings: %1").arg(page.warnCount); kind: "warn"; visible: page.warnCount > 0 }
            Badge { text: qsTr("Failed: %1").arg(page.failCount); kind: "error"; visible: page.failCount > 0 }
        }

        Label {
            Layout.fillWidth: true
            Layout.topMargin: 4
            Layout.bottomMargin: 4
            visible: checkRows.rows.length === 0
            text: page.checking ? qsTr("Checking…")
                  : Backend.connected ? qsTr("Run the self-check to see how the stack is doing.")
                  : qsTr("The gateway is not running; the self-check says what it can and how to fix the rest.")
            color: Theme.textMuted
            wrapMode: Text.Wrap
        }

        // In a Column: a Repeater whose rows change must not sit in a Qt 6.4 layout.
        Column {
            Layout.fillWidth: true
            visible: checkRows.rows.length > 0
            spacing: 8
        Repeater {
            model: Backend.checks
            delegate: Rectangle {
                id: check
                required property var model
                required property int index
                width: selfCheckCard.contentWidth
                readonly property string severity: fmt.str(model.severity) !== "" ? fmt.str(model.severity)
                                                  : model.ok === true ? "ok" : "fail"
                readonly property color tone: severity === "ok" ? Theme.ok
                                            : severity === "warn" ? Theme.warn
                                            : severity === "fail" ? Theme.error : Theme.textMuted
                objectName: "check_" + fmt.str(model.name)
                implicitHeight: checkRow.implicitHeight + 18
                radius: 8
                color: severity === "ok" ? "transparent" : fmt.tint(tone, Theme.dark ? 0.08 : 0.06)
                border.color: severity === "ok" ? Theme.cardBorder : fmt.tint(tone, 0.4)

                RowLayout {
                    id: checkRow
                    anchors.fill: parent
                    anchors.margins: 9
                    anchors.leftMargin: 12
                    spacing: 12
                    Rectangle {
                        Layout.alignment: Qt.AlignTop
                        width: 22
                        height: 22
                        radius: 11
                        color: check.tone
                        Label {
                            anchors.centerIn: parent
                            text: check.severity === "ok" ? "✓" : check.severity === "warn" ? "!"
                                : check.severity === "fail" ? "✕" : "?"
                            color: Theme.card
                            font.bold: true
                            font.pixelSize: Theme.smallFont
                        }
                    }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 3
                        Label {
                            Layout.fillWidth: true
                            text: fmt.str(check.model.name)
                            color: Theme.text
                            font.bold: true
                            font.capitalization: Font.Capitalize
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: text !== ""
                            text: fmt.str(check.model.detail)
                            color: Theme.textMuted
                            wrapMode: Text.Wrap
                        }
                        RowLayout {
                            Layout.fillWidth: true
                            visible: fmt.str(check.model.fix) !== ""
                            spacing: 8
                            Label {
                                Layout.alignment: Qt.AlignTop
                                text: qsTr("Fix")
                                color: Theme.accent
                                font.bold: true
                                font.pixelSize: Theme.smallFont
                            }
                            TextEdit {
                                Layout.fillWidth: true
                                text: fmt.str(check.model.fix)
                                readOnly: true
                                selectByMouse: true
                                wrapMode: TextEdit.Wrap
                                color: Theme.text
                                selectionColor: Theme.selection
                                selectedTextColor: Theme.text
                                font.pixelSize: Theme.smallFont
                            }
                        }
                    }
                }
            }
        }
        }
    }

    // --- bundle -------------------------------------------------------------------------------
    Card {
        objectName: "bundleCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Bug report bundle")
            subtitle: qsTr("A .tar.gz with versions, the self-check, providers (keys masked), routes, prices, the last 200 request records (no prompt or answer text) and the service logs. Tokens and anything shaped like a key are redacted.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            InputField {
                id: bundlePath
                objectName: "bundlePath"
                Layout.fillWidth: true
                mono: true
                placeholderText: qsTr("Where to save it")
            }
            ActionButton {
                objectName: "exportBundleButton"
                kind: "primary"
                text: qsTr("Export bundle")
                busy: page.exporting
                enabled: !page.exporting && bundlePath.text.trim() !== ""
                onClicked: {
                    let path = bundlePath.text.trim()
                    if (path.startsWith("~/") && page.defaultFolder !== "")
                        path = page.defaultFolder + path.substring(1)
                    page.exporting = true
                    page.exportResult = null
                    Backend.exportBundle(path.startsWith("file:") ? path : "file://" + path)
                }
            }
        }
        Rectangle {
            objectName: "bundleResult"
            Layout.fillWidth: true
            visible: page.exportResult !== null
            implicitHeight: bundleRow.implicitHeight + 20
            radius: 8
            readonly property bool ok: page.exportResult !== null && page.exportResult.ok === true
            color: fmt.tint(ok ? Theme.ok : Theme.error, Theme.dark ? 0.12 : 0.08)
            border.color: fmt.tint(ok ? Theme.ok : Theme.error, 0.45)
            RowLayout {
                id: bundleRow
                anchors.fill: parent
                anchors.margins: 10
                spacing: 8
                Label {
                    Layout.fillWidth: true
                    text: page.exportResult === null ? ""
                        : page.exportResult.ok ? qsTr("Saved to %1").arg(page.exportResult.path)
                        : (page.exportResult.message !== "" ? page.exportResult.message
                                                            : qsTr("The bundle could not be made."))
                    color: Theme.text
                    wrapMode: Text.WrapAnywhere
                }
                CopyButton {
                    visible: page.exportResult !== null && page.exportResult.ok === true
                    value: page.exportResult !== null ? page.exportResult.path : ""
                }
            }
        }
    }

    // --- about --------------------------------------------------------------------------------
    Card {
        objectName: "aboutCard"
        Layout.fillWidth: true

        SectionHeader { title: qsTr("This installation") }
        InfoRow { label: qsTr("Version"); value: fmt.str(Backend.version) }
        InfoRow { label: qsTr("Data folder"); value: fmt.str(Backend.home); mono: true }
        InfoRow { label: qsTr("Gateway"); value: fmt.str(Backend.gatewayUrl); mono: true }
        InfoRow { label: qsTr("Admin API"); value: fmt.str(Backend.adminAddress); mono: true }
        InfoRow {
            label: qsTr("Live events")
            value: Backend.liveEvents === true ? qsTr("connected") : qsTr("not connected (the pages refresh every few seconds)")
        }
    }
}
