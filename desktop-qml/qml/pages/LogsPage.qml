// Logs: the recent requests through the gateway, filtered by provider, status or errors; the
// selected request's detail with its conversion losses and its failover path.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

PageFrame {
    id: page
    objectName: "logsPage"

    title: qsTr("Logs")
    subtitle: qsTr("Recent requests through the gateway. No prompt or answer text is recorded.")

    // The selected request (its stats-store id; rows move as new requests arrive).
    property var selectedId: undefined
    property int revision: 0
    readonly property int selectedRow: {
        revision
        return selectedId === undefined ? -1 : Backend.logs.indexOf(selectedId)
    }
    readonly property var detail: {
        revision
        return selectedRow >= 0 ? (Backend.logDetail(selectedRow) ?? ({})) : ({})
    }
    readonly property var filter: Backend.logFilter ?? ({})
    readonly property var statusCodes: [0, 200, 400, 401, 402, 403, 404, 408, 429, 499, 500, 502, 503, 504]

    Fmt { id: fmt }
    Catalog { id: catalog }

    component HeaderLabel: Label {
        color: Theme.textMuted
        font.pixelSize: Theme.smallFont
        font.bold: true
        elide: Text.ElideRight
    }
    ModelRows { id: providerRows; model: Backend.providers }

    readonly property var providerOptions: [qsTr("All providers")].concat(providerRows.names())

    function applyFilter() {
        Backend.setLogFilter(providerSelect.currentIndex > 0 ? providerSelect.currentText : "",
                             statusCodes[Math.max(0, statusSelect.currentIndex)],
                             errorsToggle.checked)
    }
    function tokensText(i, o) {
        if (!fmt.isNum(i) && !fmt.isNum(o)) return fmt.none
        return fmt.compact(i ?? 0) + " / " + fmt.compact(o ?? 0)
    }
    function clientTitle(c) {
        switch (fmt.str(c)) {
        case "claude": return "Claude"
        case "codex": return "Codex"
        case "gemini": return "Gemini"
        case "chat": return qsTr("Chat")
        }
        return fmt.str(c)
    }

    Connections {
        target: Backend.logs
        function onCountChanged() { page.revision++ }
        function onDataChanged() { page.revision++ }
        function onRowsMoved() { page.revision++ }
        function onModelReset() { page.revision++ }
    }

    actions: [
        ActionButton {
            objectName: "logsRefresh"
            text: qsTr("Refresh")
            enabled: Backend.connected
            onClicked: page.applyFilter()
        }
    ]

    OfflineNotice {
        text: qsTr("Request logs are read from the gateway: start it to see them.")
    }

    // --- filters -------------------------------------------------------------------------------
    Card {
        objectName: "logFilters"
        Layout.fillWidth: true
        visible: Backend.connected
        padding: 12
        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            Select {
                id: providerSelect
                objectName: "logProviderFilter"
                Layout.preferredWidth: 200
                model: page.providerOptions
                currentIndex: Math.max(0, page.providerOptions.indexOf(fmt.str(page.filter.provider)))
                onActivated: page.applyFilter()
            }
            Select {
                id: statusSelect
                objectName: "logStatusFilter"
                Layout.preferredWidth: 150
                model: page.statusCodes.map(c => c === 0 ? qsTr("Any status") : qsTr("Status %1").arg(c))
                currentIndex: Math.max(0, page.statusCodes.indexOf(Number(page.filter.status) || 0))
                onActivated: page.applyFilter()
            }
            Toggle {
                id: errorsToggle
                objectName: "logErrorsOnly"
                text: qsTr("Errors only")
                checked: page.filter.errorsOnly === true
                onToggled: page.applyFilter()
            }
            Item { Layout.fillWidth: true }
            Label {
                text: qsTr("Shown: %1").arg(logList.count)
                color: Theme.textMuted
            }
        }
    }

    RowLayout {
        Layout.fillWidth: true
        Layout.fillHeight: true
        visible: Backend.connected
        spacing: 16

        // --- the table ----------------------------------------------------------------------
        Card {
            id: logTable
            objectName: "logTable"
            // Narrow (the detail pane is open): no client and token columns.
            readonly property bool narrow: width < 760
            Layout.fillWidth: true
            Layout.fillHeight: true
            padding: 0
            spacing: 0
            clip: true

            RowLayout {
                id: headerRow
                Layout.fillWidth: true
                Layout.leftMargin: 14
                Layout.rightMargin: 14
                Layout.topMargin: 10
                Layout.bottomMargin: 8
                spacing: 10
                // Fixed header labels (a Repeater in a Qt 6.4 layout can crash when it rebuilds,
                // as a qsTr model does on a language switch).
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.time; text: qsTr("Time") }
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.client; visible: !logTable.narrow; text: qsTr("Client") }
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.provider; text: qsTr("Provider") }
                HeaderLabel { Layout.fillWidth: true; text: qsTr("Model") }
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.status; text: qsTr("Status") }
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.latency; horizontalAlignment: Text.AlignRight; text: qsTr("Latency") }
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.tokens; visible: !logTable.narrow; horizontalAlignment: Text.AlignRight; text: qsTr("Tokens in/out") }
                HeaderLabel { Layout.preferredWidth: page.logTableWidths.cost; horizontalAlignment: Text.AlignRight; text: qsTr("Cost") }
            }
            Rectangle {
                Layout.fillWidth: true
                height: 1
                color: Theme.cardBorder
            }

            ListView {
                id: logList
                objectName: "logsList"
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.leftMargin: 1
                Layout.rightMargin: 1
                Layout.bottomMargin: 6
                clip: true
                model: Backend.logs
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar { }

                delegate: ItemDelegate {
                    id: row
                    // Roles of Backend.logs ("model" is one, so each is named).
                    required property int index
                    required property var time
                    required property var timeText
                    required property var client
                    required property var provider
                    required property var model
                    required property var status
                    required property var latencyMs
                    required property var inputTokens
                    required property var outputTokens
                    required property var costUsd
                    required property var onPlan
                    required property var error
                    readonly property bool selected: page.selectedRow === index

                    objectName: "logRow_" + index
                    width: ListView.view ? ListView.view.width : 0
                    implicitHeight: 36
                    hoverEnabled: true
                    padding: 0
                    leftPadding: 14
                    rightPadding: 14
                    onClicked: page.selectedId = selected ? undefined : Backend.logs.get(index).id

                    background: Rectangle {
                        color: row.selected ? Theme.selection
                             : row.hovered ? Theme.accentSoft
                             : row.index % 2 === 1 ? Theme.window : "transparent"
                        Rectangle {
                            visible: row.selected
                            width: 3
                            height: parent.height
                            color: Theme.accent
                        }
                    }
                    contentItem: RowLayout {
                        spacing: 10
                        Label {
                            Layout.preferredWidth: page.logTableWidths.time
                            text: fmt.str(row.timeText) !== "" ? fmt.str(row.timeText) : fmt.time(row.time)
                            color: Theme.textMuted
                            font.family: Theme.mono
                            font.pixelSize: Theme.smallFont
                            elide: Text.ElideRight
                        }
                        Label {
                            visible: !logTable.narrow
                            Layout.preferredWidth: page.logTableWidths.client
                            text: page.clientTitle(row.client)
                            color: Theme.text
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.preferredWidth: page.logTableWidths.provider
                            text: fmt.str(row.provider) !== "" ? fmt.str(row.provider) : fmt.none
                            color: Theme.text
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.fillWidth: true
                            text: fmt.str(row.model)
                            color: Theme.textMuted
                            font.family: Theme.mono
                            font.pixelSize: Theme.smallFont
                            elide: Text.ElideRight
                        }
                        Item {
                            Layout.preferredWidth: page.logTableWidths.status
                            implicitHeight: statusBadge.implicitHeight
                            Badge {
                                id: statusBadge
                                text: fmt.str(row.status)
                                kind: fmt.statusKind(row.status)
                            }
                        }
                        Label {
                            Layout.preferredWidth: page.logTableWidths.latency
                            horizontalAlignment: Text.AlignRight
                            text: fmt.latency(row.latencyMs)
                            color: Theme.textMuted
                        }
                        Label {
                            visible: !logTable.narrow
                            Layout.preferredWidth: page.logTableWidths.tokens
                            horizontalAlignment: Text.AlignRight
                            text: page.tokensText(row.inputTokens, row.outputTokens)
                            color: Theme.textMuted
                        }
                        Label {
                            Layout.preferredWidth: page.logTableWidths.cost
                            horizontalAlignment: Text.AlignRight
                            text: row.onPlan === true ? qsTr("plan") : fmt.cost(row.costUsd)
                            color: fmt.isNum(row.costUsd) && row.onPlan !== true ? Theme.text : Theme.textMuted
                            font.italic: !fmt.isNum(row.costUsd) || row.onPlan === true
                        }
                    }
                }

                EmptyState {
                    anchors.centerIn: parent
                    width: Math.min(parent.width - 40, 420)
                    visible: logList.count === 0
                    glyph: "≡"
                    title: page.filter.errorsOnly === true || fmt.str(page.filter.provider) !== ""
                           || Number(page.filter.status) > 0
                           ? qsTr("No request matches the filters") : qsTr("No requests yet")
                    text: qsTr("Requests appear here as your agents use the gateway.")
                }
            }
        }

        // --- the detail pane ----------------------------------------------------------------
        Card {
            id: detailPane
            objectName: "logDetail"
            Layout.preferredWidth: 360
            Layout.fillHeight: true
            visible: page.selectedRow >= 0
            padding: 0

            // Made when shown: layouts that were hidden while their texts changed keep stale
            // sizes.
            Loader {
                Layout.fillWidth: true
                Layout.fillHeight: true
                active: detailPane.visible
                sourceComponent: detailComponent
            }
        }
    }

    Component {
        id: detailComponent
            Flickable {
                id: detailFlick
                contentWidth: width
                contentHeight: detailColumn.implicitHeight + 32
                clip: true
                boundsBehavior: Flickable.StopAtBounds
                ScrollBar.vertical: ScrollBar { }

                ColumnLayout {
                    id: detailColumn
                    x: 16
                    y: 16
                    width: detailFlick.width - 32
                    spacing: 14

                    RowLayout {
                        Layout.fillWidth: true
                        spacing: 8
                        Badge {
                            text: fmt.str(page.detail.status)
                            kind: fmt.statusKind(page.detail.status)
                        }
                        Label {
                            Layout.fillWidth: true
                            text: fmt.str(page.detail.provider) !== "" ? fmt.str(page.detail.provider)
                                                                       : qsTr("no provider")
                            color: Theme.text
                            font.pixelSize: Theme.fontSize + 3
                            font.bold: true
                            elide: Text.ElideRight
                        }
                        ActionButton {
                            objectName: "logDetailClose"
                            kind: "ghost"
                            compact: true
                            glyph: true
                            text: "✕"
                            onClicked: page.selectedId = undefined
                        }
                    }
                    Label {
                        Layout.fillWidth: true
                        visible: fmt.str(page.detail.error) !== ""
                        text: fmt.str(page.detail.error)
                        color: Theme.error
                        wrapMode: Text.Wrap
                    }

                    // Positioners, not layouts, around these Repeaters: their models change with
                    // the selection, and a Repeater rebuilding inside a Qt 6.4 layout can crash it.
                    Column {
                        Layout.fillWidth: true
                        spacing: 6
                        Repeater {
                            model: [
                                [qsTr("Request"), fmt.str(page.detail.requestId)],
                                [qsTr("Time"), fmt.dateTime(page.detail.time)],
                                [qsTr("Client"), page.clientTitle(page.detail.client)
                                                 + (fmt.str(page.detail.path) !== "" ? "  " + fmt.str(page.detail.path) : "")],
                                [qsTr("Model asked"), fmt.str(page.detail.model)],
                                [qsTr("Model sent"), fmt.str(page.detail.modelSent)],
                                [qsTr("Latency"), fmt.latency(page.detail.latencyMs)
                                                  + (Number(page.detail.ttfbMs) >= 0 && fmt.isNum(page.detail.ttfbMs)
                                                     ? "  ·  " + qsTr("first byte %1").arg(fmt.latency(page.detail.ttfbMs)) : "")],
                                [qsTr("Streamed"), page.detail.stream === true ? qsTr("yes") : qsTr("no")],
                                [qsTr("Input tokens"), fmt.count(page.detail.inputTokens)
                                                       + (Number(page.detail.cachedTokens) > 0
                                                          ? "  ·  " + qsTr("%1 cached").arg(fmt.count(page.detail.cachedTokens)) : "")],
                                [qsTr("Output tokens"), fmt.count(page.detail.outputTokens)
                                                        + (Number(page.detail.reasoningTokens) > 0
                                                           ? "  ·  " + qsTr("%1 reasoning").arg(fmt.count(page.detail.reasoningTokens)) : "")],
                                [qsTr("Cost"), page.detail.onPlan === true
                                    ? qsTr("on your ChatGPT plan (%1 at API prices)").arg(fmt.cost(page.detail.listPriceUsd))
                                    : fmt.cost(page.detail.costUsd)]
                            ]
                            delegate: Item {
                                id: kv
                                required property var modelData
                                required property int index
                                width: detailColumn.width
                                implicitHeight: Math.max(kvKey.implicitHeight, kvValue.implicitHeight)
                                Label {
                                    id: kvKey
                                    width: 104
                                    text: kv.modelData[0]
                                    color: Theme.textMuted
                                    font.pixelSize: Theme.smallFont
                                }
                                TextEdit {
                                    id: kvValue
                                    x: 112
                                    width: kv.width - 112
                                    text: kv.modelData[1] !== "" ? kv.modelData[1] : fmt.none
                                    readOnly: true
                                    selectByMouse: true
                                    wrapMode: TextEdit.WrapAnywhere
                                    color: Theme.text
                                    selectionColor: Theme.selection
                                    selectedTextColor: Theme.text
                                    font.pixelSize: Theme.smallFont
                                    font.family: kv.index <= 0 || kv.index === 3 || kv.index === 4
                                                 ? Theme.mono : Qt.application.font.family
                                }
                            }
                        }
                    }

                    // What a protocol conversion had to drop.
                    ColumnLayout {
                        objectName: "logLosses"
                        Layout.fillWidth: true
                        spacing: 6
                        Label {
                            text: qsTr("Conversion losses")
                            color: Theme.text
                            font.bold: true
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: fmt.list(page.detail.conversionLosses).length === 0
                            text: qsTr("None: nothing was dropped on the way.")
                            color: Theme.textMuted
                            font.pixelSize: Theme.smallFont
                            wrapMode: Text.Wrap
                        }
                        Column {
                            Layout.fillWidth: true
                            spacing: 6
                        Repeater {
                            model: fmt.list(page.detail.conversionLosses)
                            delegate: Rectangle {
                                id: loss
                                required property var modelData
                                width: detailColumn.width
                                implicitHeight: lossText.implicitHeight + 12
                                radius: 6
                                color: fmt.tint(Theme.warn, Theme.dark ? 0.12 : 0.10)
                                border.color: fmt.tint(Theme.warn, 0.4)
                                Label {
                                    id: lossText
                                    anchors.fill: parent
                                    anchors.margins: 6
                                    anchors.leftMargin: 10
                                    text: "⚠  " + String(loss.modelData)
                                    color: Theme.text
                                    font.pixelSize: Theme.smallFont
                                    wrapMode: Text.Wrap
                                    verticalAlignment: Text.AlignVCenter
                                }
                            }
                        }
                        }
                    }

                    // Every upstream attempt, in order.
                    ColumnLayout {
                        objectName: "logFailoverPath"
                        Layout.fillWidth: true
                        spacing: 0
                        Label {
                            Layout.bottomMargin: 8
                            text: fmt.list(page.detail.tried).length > 1
                                  ? qsTr("Failover path: %1 attempts").arg(fmt.list(page.detail.tried).length)
                                  : qsTr("Upstream attempt")
                            color: Theme.text
                            font.bold: true
                        }
                        Label {
                            Layout.fillWidth: true
                            visible: fmt.list(page.detail.tried).length === 0
                            text: qsTr("No upstream attempt was recorded (refused before any provider was tried).")
                            color: Theme.textMuted
                            font.pixelSize: Theme.smallFont
                            wrapMode: Text.Wrap
                        }
                        Column {
                            Layout.fillWidth: true
                        Repeater {
                            model: fmt.list(page.detail.tried)
                            delegate: ColumnLayout {
                                id: attempt
                                required property var modelData
                                required property int index
                                readonly property bool ok: modelData.outcome === "success"
                                readonly property string kind: ok ? "ok"
                                    : Number(modelData.status) === 429 ? "warn" : "error"
                                width: detailColumn.width
                                spacing: 0

                                // The arrow from the previous attempt.
                                Item {
                                    visible: attempt.index > 0
                                    Layout.fillWidth: true
                                    implicitHeight: 22
                                    Rectangle {
                                        x: 15
                                        width: 2
                                        height: parent.height
                                        color: Theme.cardBorder
                                    }
                                    Label {
                                        x: 28
                                        anchors.verticalCenter: parent.verticalCenter
                                        text: attempt.modelData.continued === true
                                              ? qsTr("then continued the cut answer (mid-stream failover)")
                                              : qsTr("then")
                                        color: Theme.textMuted
                                        font.pixelSize: Theme.smallFont - 1
                                    }
                                }
                                Rectangle {
                                    objectName: "attempt_" + attempt.index
                                    Layout.fillWidth: true
                                    implicitHeight: attemptCol.implicitHeight + 16
                                    radius: 8
                                    color: Theme.window
                                    border.color: attempt.ok ? fmt.tint(Theme.ok, 0.6) : fmt.tint(Theme.error, 0.45)
                                    RowLayout {
                                        anchors.fill: parent
                                        anchors.margins: 8
                                        spacing: 10
                                        Rectangle {
                                            Layout.alignment: Qt.AlignTop
                                            width: 18
                                            height: 18
                                            radius: 9
                                            color: attempt.kind === "ok" ? Theme.ok
                                                 : attempt.kind === "warn" ? Theme.warn : Theme.error
                                            Label {
                                                anchors.centerIn: parent
                                                text: attempt.ok ? "✓" : "✕"
                                                color: Theme.card
                                                font.pixelSize: 11
                                                font.bold: true
                                            }
                                        }
                                        ColumnLayout {
                                            id: attemptCol
                                            Layout.fillWidth: true
                                            spacing: 2
                                            RowLayout {
                                                Layout.fillWidth: true
                                                Label {
                                                    Layout.fillWidth: true
                                                    text: fmt.str(attempt.modelData.provider)
                                                          + (attempt.modelData.account
                                                             ? " · " + attempt.modelData.account : "")
                                                    color: Theme.text
                                                    font.bold: true
                                                    elide: Text.ElideRight
                                                }
                                                Label {
                                                    text: fmt.latency(attempt.modelData.latencyMs)
                                                    color: Theme.textMuted
                                                    font.pixelSize: Theme.smallFont
                                                }
                                            }
                                            Label {
                                                Layout.fillWidth: true
                                                text: (Number(attempt.modelData.status) > 0
                                                       ? String(attempt.modelData.status) + " · " : "")
                                                      + catalog.outcomeTitle(attempt.modelData.outcome)
                                                color: attempt.kind === "ok" ? Theme.ok
                                                     : attempt.kind === "warn" ? Theme.warn : Theme.error
                                                font.pixelSize: Theme.smallFont
                                            }
                                            Label {
                                                Layout.fillWidth: true
                                                visible: text !== ""
                                                text: fmt.str(attempt.modelData.error)
                                                color: Theme.textMuted
                                                font.pixelSize: Theme.smallFont
                                                wrapMode: Text.Wrap
                                            }
                                        }
                                    }
                                }
                            }
                        }
                        }
                    }
                }
            }
    }

    // Column widths of the table, shared by the header and the rows.
    readonly property var logTableWidths: ({ time: 84, client: 64, provider: 120, status: 60,
                                             latency: 72, tokens: 96, cost: 76 })
}
