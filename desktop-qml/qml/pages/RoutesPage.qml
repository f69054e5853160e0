// Routes: the route profiles of each client protocol; for the selected one its mode (failover
// or manual), its chain of providers (reorder by dragging the handle or with the arrows) and
// its rules (scenes and conditions that send requests to a provider first).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "routesPage"

    title: qsTr("Routes")
    subtitle: qsTr("Which providers serve each client, in what order, and on what conditions.")

    property string selectedName: ""
    // The selected profile's row ({} when none).
    readonly property var route: {
        const r = routeRows.find("name", selectedName)
        if (r.name !== undefined) return r
        // The first default profile, in the order the list shows the clients.
        for (const c of catalog.routeClients)
            for (const row of routeRows.rows)
                if (row && row.client === c.value && row.isDefault === true) return row
        return routeRows.rows.length > 0 ? routeRows.rows[0] : ({})
    }
    readonly property string routeName: fmt.str(route.name)
    readonly property var rules: fmt.list(route.rules)
    // The chain as shown: moved here at once, then confirmed by the routes model.
    property var chain: []
    onRouteChanged: chain = fmt.list(route.chain)

    Fmt { id: fmt }
    Catalog { id: catalog }
    ModelRows { id: routeRows; model: Backend.routes }
    ModelRows { id: providerRows; model: Backend.providers }

    readonly property var providerNames: providerRows.names()
    readonly property var modelsOf: {
        const out = {}
        for (const p of providerRows.rows) {
            const list = fmt.list(p.models).slice()
            if (fmt.str(p.defaultModel) !== "" && list.indexOf(p.defaultModel) < 0)
                list.unshift(fmt.str(p.defaultModel))
            out[fmt.str(p.name)] = list
        }
        return out
    }

    // A provider's health for the chain: [kind, text].
    function healthOf(name) {
        const p = providerRows.find("name", name)
        if (p.name === undefined) return ["error", qsTr("not a provider")]
        const h = fmt.str(p.health)
        const kind = p.enabled === false || h === "disabled" ? "neutral"
                   : h === "ok" ? "ok" : h === "open" ? "error" : h === "cooling" ? "warn" : "neutral"
        return [kind, fmt.str(p.healthText) !== "" ? fmt.str(p.healthText) : h]
    }

    // The whole profile as Backend.saveRoute takes it, with `changes` applied.
    function saveRoute(changes) {
        const r = {
            name: routeName,
            client: fmt.str(route.client),
            mode: fmt.str(route.mode) !== "" ? fmt.str(route.mode) : "failover",
            chain: chain.slice(),
            rules: rules,
            isDefault: route.isDefault === true,
            midstreamFailover: route.midstreamFailover === true
        }
        Object.assign(r, changes)
        r.rules = fmt.list(r.rules).map(x => ({ name: fmt.str(x.name), scene: fmt.str(x.scene),
                                                provider: fmt.str(x.provider), model: fmt.str(x.model),
                                                disabled: x.disabled === true,
                                                conditions: x.conditions ?? ({}) }))
        Backend.saveRoute(r)
    }
    function moveChain(from, to) {
        if (from === to || from < 0 || to < 0 || from >= chain.length || to >= chain.length) return
        const c = chain.slice()
        const moved = c.splice(from, 1)[0]
        c.splice(to, 0, moved)
        chain = c
        Backend.moveChainEntry(routeName, from, to)
    }
    function removeFromChain(i) {
        const c = chain.slice()
        c.splice(i, 1)
        chain = c
        saveRoute({ chain: c })
    }
    function addToChain(name) {
        if (name === "" || chain.indexOf(name) >= 0) return
        const c = chain.concat([name])
        chain = c
        saveRoute({ chain: c })
    }
    function saveRule(rule, index) {
        const list = rules.slice()
        if (index >= 0 && index < list.length) list[index] = rule
        else list.push(rule)
        saveRoute({ rules: list })
    }
    function moveRule(from, to) {
        if (to < 0 || to >= rules.length) return
        const list = rules.slice()
        const moved = list.splice(from, 1)[0]
        list.splice(to, 0, moved)
        saveRoute({ rules: list })
    }

    // A failed change: show the chain as the gateway has it.
    Connections {
        target: Backend
        function onNotify(message, error) {
            if (error) page.chain = fmt.list(page.route.chain)
        }
    }

    actions: [
        ActionButton {
            objectName: "newRouteButton"
            text: qsTr("New profile")
            enabled: Backend.connected
            onClicked: newRouteDialog.openNew()
        }
    ]

    OfflineNotice {
        text: qsTr("Route profiles are kept by the gateway: start it to see and change them.")
    }

    RowLayout {
        Layout.fillWidth: true
        visible: Backend.connected
        spacing: 16

        // --- the profiles, by client ---------------------------------------------------------
        Card {
            id: profilesCard
            objectName: "routeProfiles"
            Layout.preferredWidth: 250
            Layout.alignment: Qt.AlignTop
            padding: 12
            spacing: 4

            Label {
                visible: routeRows.rows.length === 0
                Layout.fillWidth: true
                text: qsTr("No route profiles yet.")
                color: Theme.textMuted
                wrapMode: Text.Wrap
            }
            // Positioners, not layouts, hold these Repeaters: the profiles change with every
            // routes refresh, and a Repeater rebuilding inside a Qt 6.4 layout can crash it.
            Column {
                Layout.fillWidth: true
                spacing: 2
                Repeater {
                    model: catalog.routeClients
                    delegate: Column {
                        id: clientGroup
                        required property var modelData
                        readonly property var profiles: routeRows.rows.filter(r => r && r.client === modelData.value)
                        width: profilesCard.contentWidth
                        visible: profiles.length > 0
                        spacing: 2
                        Label {
                            topPadding: 8
                            leftPadding: 8
                            bottomPadding: 2
                            text: clientGroup.modelData.text
                            color: Theme.textMuted
                            font.pixelSize: Theme.smallFont
                            font.bold: true
                            font.capitalization: Font.AllUppercase
                        }
                        Repeater {
                            model: clientGroup.profiles
                            delegate: ItemDelegate {
                                id: profileItem
                                required property var modelData
                                readonly property bool selected: page.routeName === fmt.str(modelData.name)
                                objectName: "routeProfile_" + fmt.str(modelData.name)
                                width: clientGroup.width
                                implicitHeight: 40
                                hoverEnabled: true
                                onClicked: page.selectedName = fmt.str(modelData.name)
                                background: Rectangle {
                                    radius: 8
                                    color: profileItem.selected ? Theme.accentSoft
                                         : profileItem.hovered ? Theme.window : "transparent"
                                }
                                contentItem: RowLayout {
                                    spacing: 8
                                    Label {
                                        Layout.fillWidth: true
                                        text: fmt.str(profileItem.modelData.name)
                                        color: profileItem.selected ? Theme.accent : Theme.text
                                        font.bold: profileItem.selected
                                        elide: Text.ElideRight
                                    }
                                    Badge {
                                        visible: profileItem.modelData.isDefault === true
                                        text: qsTr("default")
                                        kind: "neutral"
                                    }
                                    Label {
                                        text: profileItem.modelData.mode === "manual" ? qsTr("manual") : qsTr("failover")
                                        color: Theme.textMuted
                                        font.pixelSize: Theme.smallFont
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        // --- the selected profile ------------------------------------------------------------
        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: 16
            visible: page.routeName !== ""

            Card {
                objectName: "routeHeader"
                Layout.fillWidth: true

                SectionHeader {
                    title: page.routeName
                    subtitle: page.route.isDefault === true
                              ? qsTr("The default profile for %1")
                                    .arg(catalog.routeClientTitle(fmt.str(page.route.client)))
                              : qsTr("A profile for %1, chosen with the header x-agentgate-route: %2")
                                    .arg(catalog.routeClientTitle(fmt.str(page.route.client)))
                                    .arg(page.routeName)
                    ActionButton {
                        objectName: "deleteRouteButton"
                        visible: page.route.isDefault !== true
                        kind: "danger"
                        compact: true
                        text: qsTr("Delete profile")
                        onClicked: deleteRouteConfirm.open()
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 14
                    Segmented {
                        objectName: "routeMode"
                        options: [{ value: "failover", text: qsTr("Failover") },
                                  { value: "manual", text: qsTr("Manual") }]
                        value: page.route.mode === "manual" ? "manual" : "failover"
                        onActivated: (v) => Backend.setRouteMode(page.routeName, v)
                    }
                    Label {
                        Layout.fillWidth: true
                        text: page.route.mode === "manual"
                              ? qsTr("Only the first provider of the chain that can take the request is used.")
                              : qsTr("The chain in order: when a provider fails, the next one is tried.")
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                    }
                }
                RowLayout {
                    Layout.fillWidth: true
                    spacing: 14
                    Toggle {
                        objectName: "routeMidstream"
                        text: qsTr("Mid-stream failover")
                        checked: page.route.midstreamFailover === true
                        onToggled: Backend.setRouteMidstream(page.routeName, checked)
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("When a provider cuts an answer it has begun streaming, the next one continues it in the same stream (not inside a tool call). Streams of the client's own protocol are then converted rather than passed through.")
                        color: Theme.textMuted
                        wrapMode: Text.Wrap
                    }
                }
            }

            // --- the chain ----------------------------------------------------------------------
            Card {
                objectName: "routeChain"
                Layout.fillWidth: true

                SectionHeader {
                    title: qsTr("Chain")
                    subtitle: qsTr("Drag the handle or use the arrows to change the order; the first is tried first.")
                }

                RowLayout {
                    Layout.fillWidth: true
                    visible: page.chain.length === 0
                    spacing: 12
                    Label {
                        Layout.fillWidth: true
                        text: page.providerNames.length > 0
                              ? qsTr("The chain is empty: requests of this profile have nowhere to go. Add a provider below.")
                              : qsTr("No providers yet — add one on the Providers page, and it joins every chain.")
                        color: Theme.warn
                        wrapMode: Text.Wrap
                    }
                    ActionButton {
                        visible: page.providerNames.length === 0
                        text: qsTr("Go to Providers")
                        onClicked: {
                            const w = ApplicationWindow.window
                            if (w && w.currentPage !== undefined) w.currentPage = "providers"
                        }
                    }
                }

                Item {
                    id: chainArea
                    readonly property int pitch: 50
                    // While dragging: the entry's index and where it would land; the others
                    // make room.
                    property int dragFrom: -1
                    property int dragTo: -1
                    Layout.fillWidth: true
                    implicitHeight: page.chain.length * pitch

                    Repeater {
                        model: page.chain
                        delegate: Item {
                            id: slot
                            required property var modelData
                            required property int index
                            readonly property var health: page.healthOf(String(modelData))
                            objectName: "chainEntry_" + String(modelData)
                            readonly property int shift: {
                                const f = chainArea.dragFrom, t = chainArea.dragTo
                                if (f < 0 || index === f) return 0
                                if (f < index && index <= t) return -chainArea.pitch
                                if (t <= index && index < f) return chainArea.pitch
                                return 0
                            }
                            x: 0
                            y: index * chainArea.pitch + shift
                            Behavior on y { NumberAnimation { duration: 120; easing.type: Easing.OutQuad } }
                            width: chainArea.width
                            height: chainArea.pitch
                            z: handleArea.drag.active ? 10 : 1

                            Rectangle {
                                id: tile
                                width: slot.width
                                height: slot.height - 8
                                radius: 8
                                color: handleArea.drag.active ? Theme.accentSoft : Theme.window
                                border.color: handleArea.drag.active ? Theme.accent : Theme.cardBorder

                                RowLayout {
                                    anchors.fill: parent
                                    anchors.leftMargin: 4
                                    anchors.rightMargin: 8
                                    spacing: 10
                                    Label {
                                        objectName: "chainHandle_" + String(slot.modelData)
                                        Layout.preferredWidth: 26
                                        Layout.fillHeight: true
                                        horizontalAlignment: Text.AlignHCenter
                                        verticalAlignment: Text.AlignVCenter
                                        text: "⠿"
                                        color: handleArea.containsMouse || handleArea.drag.active
                                               ? Theme.accent : Theme.textMuted
                                        font.pixelSize: 18
                                        MouseArea {
                                            id: handleArea
                                            property int startIndex: -1
                                            anchors.fill: parent
                                            hoverEnabled: true
                                            cursorShape: drag.active ? Qt.ClosedHandCursor : Qt.OpenHandCursor
                                            drag.target: tile
                                            drag.axis: Drag.YAxis
                                            drag.minimumY: -slot.index * chainArea.pitch
                                            drag.maximumY: (page.chain.length - 1 - slot.index) * chainArea.pitch
                                            onPressed: startIndex = slot.index
                                            function target() {
                                                const to = Math.round((startIndex * chainArea.pitch + tile.y)
                                                                      / chainArea.pitch)
                                                return Math.max(0, Math.min(page.chain.length - 1, to))
                                            }
                                            onPositionChanged: {
                                                if (!drag.active) return
                                                chainArea.dragFrom = startIndex
                                                chainArea.dragTo = target()
                                            }
                                            onReleased: {
                                                const to = target()
                                                tile.y = 0
                                                chainArea.dragFrom = -1
                                                chainArea.dragTo = -1
                                                page.moveChain(startIndex, to)
                                            }
                                            onCanceled: {
                                                tile.y = 0
                                                chainArea.dragFrom = -1
                                                chainArea.dragTo = -1
                                            }
                                        }
                                    }
                                    Rectangle {
                                        width: 24
                                        height: 24
                                        radius: 12
                                        color: slot.index === 0 ? Theme.accent : Theme.card
                                        border.color: Theme.cardBorder
                                        Label {
                                            anchors.centerIn: parent
                                            text: String(slot.index + 1)
                                            color: slot.index === 0 ? Theme.accentText : Theme.textMuted
                                            font.bold: true
                                            font.pixelSize: Theme.smallFont
                                        }
                                    }
                                    Label {
                                        Layout.fillWidth: true
                                        text: String(slot.modelData)
                                        color: Theme.text
                                        font.bold: true
                                        elide: Text.ElideRight
                                    }
                                    StatusDot { kind: slot.health[0] }
                                    Label {
                                        Layout.maximumWidth: 220
                                        text: slot.health[1]
                                        color: Theme.textMuted
                                        font.pixelSize: Theme.smallFont
                                        elide: Text.ElideRight
                                    }
                                    ActionButton {
                                        objectName: "chainUp_" + String(slot.modelData)
                                        kind: "ghost"
                                        compact: true
                                        text: "↑"
                                        glyph: true
                                        enabled: slot.index > 0
                                        onClicked: page.moveChain(slot.index, slot.index - 1)
                                    }
                                    ActionButton {
                                        objectName: "chainDown_" + String(slot.modelData)
                                        kind: "ghost"
                                        compact: true
                                        text: "↓"
                                        glyph: true
                                        enabled: slot.index < page.chain.length - 1
                                        onClicked: page.moveChain(slot.index, slot.index + 1)
                                    }
                                    ActionButton {
                                        objectName: "chainRemove_" + String(slot.modelData)
                                        kind: "ghost"
                                        compact: true
                                        text: "✕"
                                        glyph: true
                                        onClicked: page.removeFromChain(slot.index)
                                    }
                                }
                            }
                        }
                    }
                }

                RowLayout {
                    Layout.fillWidth: true
                    spacing: 8
                    readonly property var candidates: page.providerNames.filter(n => page.chain.indexOf(n) < 0)
                    visible: candidates.length > 0
                    Select {
                        id: addSelect
                        objectName: "chainAddSelect"
                        Layout.preferredWidth: 260
                        model: parent.candidates
                    }
                    ActionButton {
                        objectName: "chainAddButton"
                        text: qsTr("Add to chain")
                        enabled: addSelect.currentIndex >= 0
                        onClicked: page.addToChain(addSelect.currentText)
                    }
                    Item { Layout.fillWidth: true }
                }
            }

            // --- the rules ----------------------------------------------------------------------
            Card {
                id: rulesCard
                objectName: "routeRules"
                Layout.fillWidth: true

                SectionHeader {
                    title: qsTr("Rules")
                    subtitle: qsTr("The first rule that matches a request sends it to its provider first; then the chain.")
                    ActionButton {
                        objectName: "addRuleButton"
                        compact: true
                        kind: "primary"
                        text: qsTr("Add rule")
                        enabled: page.providerNames.length > 0
                        onClicked: {
                            ruleEditor.takenNames = page.rules.map(r => fmt.str(r.name))
                            ruleEditor.openNew()
                        }
                    }
                }
                Label {
                    Layout.fillWidth: true
                    visible: page.rules.length === 0
                    text: qsTr("No rules: every request follows the chain. Add one to send image requests, long prompts or reasoning to the provider best at them.")
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                }
                Column {
                    Layout.fillWidth: true
                    visible: page.rules.length > 0
                    spacing: 8
                Repeater {
                    model: page.rules
                    delegate: Rectangle {
                        id: ruleRow
                        required property var modelData
                        required property int index
                        readonly property bool on: modelData.disabled !== true
                        objectName: "rule_" + fmt.str(modelData.name)
                        width: rulesCard.contentWidth
                        implicitHeight: ruleLayout.implicitHeight + 20
                        radius: 8
                        color: Theme.window
                        border.color: Theme.cardBorder
                        opacity: on ? 1 : 0.7

                        RowLayout {
                            id: ruleLayout
                            anchors.fill: parent
                            anchors.leftMargin: 12
                            anchors.rightMargin: 8
                            spacing: 10
                            Toggle {
                                objectName: "ruleToggle_" + fmt.str(ruleRow.modelData.name)
                                checked: ruleRow.on
                                onToggled: {
                                    const r = Object.assign({}, ruleRow.modelData)
                                    r.disabled = !checked
                                    page.saveRule(r, ruleRow.index)
                                }
                            }
                            ColumnLayout {
                                Layout.fillWidth: true
                                spacing: 3
                                RowLayout {
                                    spacing: 8
                                    Label {
                                        text: fmt.str(ruleRow.modelData.name)
                                        color: Theme.text
                                        font.bold: true
                                    }
                                    Badge {
                                        visible: fmt.str(ruleRow.modelData.scene) !== ""
                                        text: catalog.sceneTitle(fmt.str(ruleRow.modelData.scene))
                                        kind: "accent"
                                    }
                                    Badge {
                                        visible: !ruleRow.on
                                        text: qsTr("off")
                                        kind: "neutral"
                                    }
                                }
                                Label {
                                    Layout.fillWidth: true
                                    text: "→ " + fmt.str(ruleRow.modelData.provider)
                                          + (fmt.str(ruleRow.modelData.model) !== ""
                                             ? " · " + fmt.str(ruleRow.modelData.model) : "")
                                    color: Theme.text
                                    font.family: Theme.mono
                                    font.pixelSize: Theme.smallFont
                                    elide: Text.ElideRight
                                }
                                Label {
                                    Layout.fillWidth: true
                                    visible: text !== ""
                                    text: fmt.str(ruleRow.modelData.conditionsText) !== ""
                                          ? qsTr("when %1").arg(fmt.str(ruleRow.modelData.conditionsText)) : ""
                                    color: Theme.textMuted
                                    font.pixelSize: Theme.smallFont
                                    wrapMode: Text.Wrap
                                }
                            }
                            ActionButton {
                                kind: "ghost"
                                compact: true
                                text: "↑"
                                glyph: true
                                enabled: ruleRow.index > 0
                                onClicked: page.moveRule(ruleRow.index, ruleRow.index - 1)
                            }
                            ActionButton {
                                kind: "ghost"
                                compact: true
                                text: "↓"
                                glyph: true
                                enabled: ruleRow.index < page.rules.length - 1
                                onClicked: page.moveRule(ruleRow.index, ruleRow.index + 1)
                            }
                            ActionButton {
                                objectName: "editRule_" + fmt.str(ruleRow.modelData.name)
                                compact: true
                                text: qsTr("Edit")
                                onClicked: {
                                    ruleEditor.takenNames = page.rules.map(r => fmt.str(r.name))
                                                                      .filter((n, i) => i !== ruleRow.index)
                                    ruleEditor.openEdit(ruleRow.modelData, ruleRow.index)
                                }
                            }
                            ActionButton {
                                objectName: "deleteRule_" + fmt.str(ruleRow.modelData.name)
                                kind: "ghost"
                                compact: true
                                text: "✕"
                                glyph: true
                                onClicked: {
                                    const list = page.rules.slice()
                                    list.splice(ruleRow.index, 1)
                                    page.saveRoute({ rules: list })
                                }
                            }
                        }
                    }
                }
                }
            }
        }
    }

    RuleEditor {
        id: ruleEditor
        providers: page.providerNames
        modelsOf: page.modelsOf
        onSaved: (rule, index) => page.saveRule(rule, index)
    }

    ConfirmDialog {
        id: deleteRouteConfirm
        objectName: "deleteRouteConfirm"
        title: qsTr("Delete the profile %1?").arg(page.routeName)
        message: qsTr("Requests that name it with x-agentgate-route will get the default profile of their client.")
        confirmText: qsTr("Delete")
        onConfirmed: {
            Backend.deleteRoute(page.routeName)
            page.selectedName = ""
        }
    }

    // A new profile: a name and a client; its chain starts as every provider.
    AppDialog {
        id: newRouteDialog
        objectName: "newRouteDialog"
        preferredWidth: 460
        title: qsTr("New route profile")
        property string error: ""

        function openNew() {
            error = ""
            newRouteName.text = ""
            newRouteClient.currentIndex = 0
            open()
            newRouteName.forceActiveFocus()
        }

        FormField {
            label: qsTr("Name")
            hint: qsTr("Clients pick it with the header x-agentgate-route: NAME")
            error: newRouteDialog.error
            InputField {
                id: newRouteName
                objectName: "newRouteName"
                Layout.fillWidth: true
                placeholderText: qsTr("cheap")
            }
        }
        FormField {
            label: qsTr("Client")
            Select {
                id: newRouteClient
                objectName: "newRouteClient"
                Layout.fillWidth: true
                model: catalog.routeClients
                textRole: "text"
                valueRole: "value"
            }
        }

        buttons: [
            Item { Layout.fillWidth: true },
            ActionButton {
                text: qsTr("Cancel")
                onClicked: newRouteDialog.close()
            },
            ActionButton {
                objectName: "newRouteCreate"
                kind: "primary"
                text: qsTr("Create")
                onClicked: {
                    const name = newRouteName.text.trim()
                    if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) {
                        newRouteDialog.error = qsTr("Letters, digits, '.', '_' and '-' only (at most 64).")
                        return
                    }
                    if (routeRows.find("name", name).name !== undefined) {
                        newRouteDialog.error = qsTr("A profile called %1 exists already.").arg(name)
                        return
                    }
                    const byPriority = providerRows.rows.slice().sort(
                        (a, b) => (Number(a.priority) || 0) - (Number(b.priority) || 0))
                    Backend.saveRoute({ name: name,
                                        client: catalog.routeClients[Math.max(0, newRouteClient.currentIndex)].value,
                                        mode: "failover",
                                        chain: byPriority.map(p => fmt.str(p.name)),
                                        rules: [] })
                    page.selectedName = name
                    newRouteDialog.close()
                }
            }
        ]
    }
}
