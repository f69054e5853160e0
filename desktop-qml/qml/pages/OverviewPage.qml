// Overview: today's and all-time requests, tokens and cost, the averages, the last 24 hours as
// a requests-and-cost chart, the daily budget, and the most recent errors.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "overviewPage"

    title: qsTr("Overview")
    subtitle: qsTr("Requests, tokens and cost through your gateway.")

    readonly property var today: Backend.today ?? ({})
    readonly property var allTime: Backend.allTime ?? ({})
    readonly property var budget: Backend.budget ?? ({})
    readonly property bool hasStats: Backend.connected && fmt.isNum(today.requests)

    Fmt { id: fmt }

    function tokenSum(m) {
        if (!m || (!fmt.isNum(m.inputTokens) && !fmt.isNum(m.outputTokens))) return undefined
        return (Number(m.inputTokens) || 0) + (Number(m.outputTokens) || 0)
    }
    // The cost of a totals map: "unknown" when no request had a price, "$x" otherwise (the
    // priced requests; unpricedNote says how many had none).
    function costOf(m) {
        if (!m || !fmt.isNum(m.costUsd)) return fmt.none
        const requests = Number(m.requests) || 0
        const unpriced = Number(m.unpriced) || 0
        if (requests > 0 && unpriced >= requests) return qsTr("unknown")
        return fmt.cost(m.costUsd)
    }
    function unpricedNote(m) {
        const n = m ? Number(m.unpriced) : 0
        return n > 0 ? qsTr("+ %1 without a price").arg(fmt.count(n)) : ""
    }
    // Requests a ChatGPT plan served: no dollars, and what they were worth at API prices.
    function planNote(m) {
        const n = m ? Number(m.planRequests) || 0 : 0
        if (n <= 0) return ""
        return qsTr("+ %1 on your ChatGPT plan (%2 at API prices)").arg(fmt.count(n))
                   .arg(fmt.cost(m.planListPriceUsd))
    }

    function allTimeLabel(key) {
        switch (key) {
        case "requests": return qsTr("Requests")
        case "errors": return qsTr("Errors")
        case "inputTokens": return qsTr("Input tokens")
        case "outputTokens": return qsTr("Output tokens")
        case "cost": return qsTr("Cost")
        case "latency": return qsTr("Avg latency")
        }
        return key
    }
    function allTimeValue(key) {
        const t = page.allTime
        switch (key) {
        case "cost": return page.costOf(t)
        case "latency": return Number(t.requests) > 0 ? fmt.latency(t.avgLatencyMs) : fmt.none
        }
        return fmt.count(t[key])
    }

    actions: [
        ActionButton {
            objectName: "overviewRefresh"
            text: qsTr("Refresh")
            enabled: Backend.connected
            onClicked: Backend.refreshStats()
        }
    ]

    OfflineNotice {
        text: qsTr("Requests, tokens and cost appear here once the gateway runs.")
    }

    // --- today, with all time under each number --------------------------------------------
    GridLayout {
        Layout.fillWidth: true
        columns: page.width > 760 ? 4 : 2
        columnSpacing: 16
        rowSpacing: 16

        StatCard {
            objectName: "statRequests"
            label: qsTr("Requests today")
            glyph: "⇅"
            value: page.hasStats ? fmt.count(page.today.requests) : fmt.none
            caption: page.hasStats
                     ? (Number(page.today.errors) === 1
                        ? qsTr("1 error · %1 all time").arg(fmt.count(page.allTime.requests))
                        : qsTr("%1 errors · %2 all time").arg(fmt.count(page.today.errors ?? 0))
                                                          .arg(fmt.count(page.allTime.requests)))
                     : qsTr("No data yet")
        }
        StatCard {
            objectName: "statTokens"
            label: qsTr("Tokens today")
            glyph: "◇"
            value: page.hasStats ? fmt.compact(page.tokenSum(page.today)) : fmt.none
            caption: page.hasStats
                     ? qsTr("%1 in · %2 out").arg(fmt.count(page.today.inputTokens))
                                             .arg(fmt.count(page.today.outputTokens))
                     : qsTr("No data yet")
        }
        StatCard {
            objectName: "statCost"
            label: qsTr("Cost today")
            glyph: "$"
            value: page.hasStats ? page.costOf(page.today) : fmt.none
            valueColor: page.budget.exceeded === true ? Theme.error : Theme.text
            caption: !page.hasStats ? qsTr("No data yet")
                     : page.unpricedNote(page.today) !== "" ? page.unpricedNote(page.today)
                     : page.planNote(page.today) !== "" ? page.planNote(page.today)
                     : qsTr("%1 all time").arg(page.costOf(page.allTime))
        }
        StatCard {
            objectName: "statAverage"
            label: qsTr("Average request")
            glyph: "⌀"
            value: page.hasStats && Number(page.today.requests) > 0
                   ? fmt.latency(page.today.avgLatencyMs) : fmt.none
            caption: page.hasStats
                     ? qsTr("%1 per priced request").arg(
                           fmt.isNum(page.today.avgCostUsd) && Number(page.today.requests) > 0
                           ? fmt.cost(page.today.avgCostUsd) : fmt.none)
                     : qsTr("No data yet")
        }
    }

    // --- all time -----------------------------------------------------------------------------
    Card {
        objectName: "allTimeCard"
        Layout.fillWidth: true
        visible: page.hasStats
        padding: 16

        Label {
            text: qsTr("All time")
            color: Theme.textMuted
            font.bold: true
            font.pixelSize: Theme.smallFont
            font.capitalization: Font.AllUppercase
            font.letterSpacing: 0.6
        }
        GridLayout {
            Layout.fillWidth: true
            columns: page.width > 900 ? 6 : 3
            columnSpacing: 16
            rowSpacing: 10
            // A fixed model (the values are bindings in the delegate): a model rebuilt on every
            // stats update would recreate the delegates inside the layout each time.
            Repeater {
                model: ["requests", "errors", "inputTokens", "outputTokens", "cost", "latency"]
                delegate: ColumnLayout {
                    id: totalCell
                    required property string modelData
                    Layout.fillWidth: true
                    Layout.preferredWidth: 1
                    spacing: 2
                    Label {
                        Layout.fillWidth: true
                        text: page.allTimeLabel(totalCell.modelData)
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                    Label {
                        Layout.fillWidth: true
                        text: page.allTimeValue(totalCell.modelData)
                        color: Theme.text
                        font.pixelSize: Theme.fontSize + 2
                        font.bold: true
                        elide: Text.ElideRight
                    }
                }
            }
        }
    }

    // --- budget ------------------------------------------------------------------------------
    Card {
        id: budgetCard
        objectName: "budgetCard"
        Layout.fillWidth: true
        visible: Backend.connected && Number(page.budget.limitUsd) > 0
        padding: 14
        edgeColor: page.budget.exceeded === true ? Theme.error : Theme.cardBorder

        readonly property real ratio: Number(page.budget.limitUsd) > 0
                                      ? Math.min(1, (Number(page.budget.spentUsd) || 0)
                                                     / Number(page.budget.limitUsd)) : 0
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            Label {
                text: qsTr("Daily budget")
                color: Theme.text
                font.bold: true
            }
            Badge {
                text: page.budget.mode === "block" ? qsTr("blocks when spent")
                    : page.budget.mode === "cheapest" ? qsTr("cheapest first when spent")
                    : qsTr("notifies when spent")
                kind: page.budget.exceeded === true ? "error" : "neutral"
            }
            Item { Layout.fillWidth: true }
            Label {
                text: qsTr("%1 of %2").arg(fmt.cost(page.budget.spentUsd ?? 0))
                                      .arg(fmt.cost(page.budget.limitUsd))
                color: page.budget.exceeded === true ? Theme.error : Theme.textMuted
            }
        }
        Rectangle {
            Layout.fillWidth: true
            height: 8
            radius: 4
            color: Theme.input
            border.color: Theme.cardBorder
            Rectangle {
                width: parent.width * budgetCard.ratio
                height: parent.height
                radius: 4
                color: budgetCard.ratio >= 1 ? Theme.error
                     : budgetCard.ratio >= 0.8 ? Theme.warn : Theme.accent
            }
        }
    }

    // --- chart -----------------------------------------------------------------------------------
    Card {
        objectName: "chartCard"
        Layout.fillWidth: true
        visible: Backend.connected

        SectionHeader {
            title: qsTr("Last 24 hours")
            subtitle: qsTr("Requests per hour, errors on top, and what they cost")
            // The legend (fixed items: a Repeater over colours would rebuild on a theme switch).
            RowLayout {
                spacing: 14
                Rectangle { width: 10; height: 10; radius: 2; color: Theme.accent }
                Label { text: qsTr("Requests"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                Rectangle { width: 10; height: 10; radius: 2; color: Theme.error; Layout.leftMargin: 8 }
                Label { text: qsTr("Errors"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
                Rectangle { width: 10; height: 10; radius: 2; color: Theme.ok; Layout.leftMargin: 8 }
                Label { text: qsTr("Cost"); color: Theme.textMuted; font.pixelSize: Theme.smallFont }
            }
        }
        Item {
            Layout.fillWidth: true
            Layout.preferredHeight: 230
            Chart {
                id: chart
                objectName: "requestsChart"
                anchors.fill: parent
                points: Backend.chart ?? []
            }
            Label {
                anchors.centerIn: parent
                visible: chart.empty
                text: qsTr("No requests in the last 24 hours")
                color: Theme.textMuted
            }
        }
    }

    // --- recent errors ---------------------------------------------------------------------------
    Card {
        id: errorsCard
        objectName: "recentErrorsCard"
        Layout.fillWidth: true
        visible: Backend.connected

        SectionHeader {
            title: qsTr("Recent errors")
            subtitle: errorList.count > 0 ? qsTr("The newest failed requests; the Logs page has the details")
                                          : ""
        }
        Label {
            Layout.fillWidth: true
            Layout.topMargin: 4
            Layout.bottomMargin: 4
            visible: errorList.count === 0
            text: qsTr("No errors — every request went through.")
            color: Theme.ok
        }
        // In a Column: a Repeater whose rows change must not sit in a Qt 6.4 layout.
        Column {
            Layout.fillWidth: true
            visible: errorList.count > 0
        Repeater {
            id: errorList
            model: Backend.recentErrors
            delegate: Rectangle {
                id: errRow
                width: errorsCard.contentWidth
                // Roles of Backend.recentErrors (log rows; "model" is a role there, so the
                // delegate names each role it reads).
                required property int index
                required property var time
                required property var status
                required property var provider
                required property var error
                required property var client
                required property var model
                implicitHeight: errLayout.implicitHeight + 16
                radius: 8
                color: index % 2 === 0 ? "transparent" : Theme.window
                RowLayout {
                    id: errLayout
                    anchors.fill: parent
                    anchors.leftMargin: 10
                    anchors.rightMargin: 10
                    spacing: 12
                    Label {
                        Layout.preferredWidth: 92
                        text: fmt.time(errRow.time)
                        color: Theme.textMuted
                        font.family: Theme.mono
                        font.pixelSize: Theme.smallFont
                    }
                    Badge {
                        text: fmt.str(errRow.status)
                        kind: fmt.statusKind(errRow.status)
                    }
                    Label {
                        Layout.preferredWidth: 150
                        text: fmt.str(errRow.provider) !== "" ? fmt.str(errRow.provider)
                                                                     : qsTr("no provider")
                        color: Theme.text
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Label {
                        Layout.fillWidth: true
                        text: fmt.str(errRow.error) !== "" ? fmt.str(errRow.error)
                              : fmt.str(errRow.model)
                        color: Theme.textMuted
                        elide: Text.ElideRight
                    }
                    Label {
                        text: fmt.str(errRow.client)
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                    }
                }
            }
        }
        }
    }
}
