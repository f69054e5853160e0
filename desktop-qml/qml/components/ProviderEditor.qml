// Add or edit a provider: Basic (type, name, protocol, base URL, keys, default and reasoning
// model) and Advanced (timeout, priority, enabled, model mapping, Anthropic and Responses
// endpoints, extra headers). Keys are write-only: the stored ones are shown masked, and an empty
// key box keeps them. openNew() / openEdit(row); saves with Backend.saveProvider, sending on an
// edit only the fields that changed.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

AppDialog {
    id: editor

    objectName: "providerEditor"
    preferredWidth: 640
    title: isNew ? qsTr("Add provider") : qsTr("Edit %1").arg(originalName)

    // "" while adding.
    property string originalName: ""
    readonly property bool isNew: originalName === ""
    // The provider row being edited ({} while adding).
    property var original: ({})
    property string tab: "basic"

    // Form state.
    property string type: "deepseek"
    property var mapRows: []
    property var headerRows: []
    property var fetchedModels: []
    property string fetchError: ""
    property bool fetching: false
    property bool testing: false
    property var testSteps: []
    property string error: ""

    Fmt { id: fmt }
    Catalog { id: catalog }

    // The presets: the gateway's own list (Backend.providerTypes), else the built-in one.
    readonly property var presets: {
        const list = fmt.list(Backend.providerTypes)
        if (list.length > 0)
            return list.map(p => ({ value: fmt.str(p.type), text: fmt.str(p.title) || fmt.str(p.type),
                                    baseUrl: fmt.str(p.baseUrl), defaultModel: fmt.str(p.defaultModel),
                                    protocol: fmt.str(p.protocol), needsKey: p.needsKey !== false,
                                    anthropicUrl: fmt.str(p.anthropicUrl),
                                    responsesUrl: fmt.str(p.responsesUrl) }))
        return catalog.providerTypes.map(p => ({ value: p.value, text: p.text, baseUrl: "",
                                                 defaultModel: "", protocol: "", needsKey: true,
                                                 anthropicUrl: "", responsesUrl: "" }))
    }
    readonly property var preset: {
        for (const p of presets)
            if (p.value === type) return p
        return ({ value: type, text: type, baseUrl: "", defaultModel: "", protocol: "",
                  needsKey: true, anthropicUrl: "", responsesUrl: "" })
    }
    readonly property var knownModels: {
        const seen = {}
        const out = []
        for (const m of fetchedModels.concat(fmt.list(original.models)))
            if (m && !seen[m]) { seen[m] = true; out.push(String(m)) }
        return out
    }

    function typeIndexOf(t) {
        for (let i = 0; i < presets.length; ++i)
            if (presets[i].value === t) return i
        return -1
    }

    function reset() {
        tab = "basic"
        error = ""
        fetchedModels = []
        fetchError = ""
        fetching = false
        testing = false
        testSteps = []
        keysArea.text = ""
    }

    function openNew(presetType) {
        originalName = ""
        original = ({})
        reset()
        type = presetType !== undefined && presetType !== "" ? presetType : "deepseek"
        typeSelect.currentIndex = Math.max(0, typeIndexOf(type))
        nameField.text = ""
        protocolSelect.currentIndex = 0
        baseUrlField.text = ""
        defaultModelSelect.setText("")
        reasoningModelSelect.setText("")
        timeoutField.text = ""
        priorityField.text = "10"
        enabledToggle.checked = true
        anthropicField.text = ""
        responsesField.text = ""
        mapRows = []
        headerRows = []
        open()
        nameField.forceActiveFocus()
    }

    function openEdit(row) {
        const p = row ?? ({})
        originalName = fmt.str(p.name)
        original = p
        reset()
        type = fmt.str(p.type)
        typeSelect.currentIndex = typeIndexOf(type)
        nameField.text = fmt.str(p.name)
        protocolSelect.currentIndex = catalog.protocolIndex(fmt.str(p.protocol))
        baseUrlField.text = fmt.str(p.baseUrl)
        defaultModelSelect.setText(fmt.str(p.defaultModel))
        reasoningModelSelect.setText(fmt.str(p.reasoningModel))
        const t = Number(p.timeoutMs) || 0
        timeoutField.text = t > 0 ? String(Math.round(t / 1000)) : ""
        priorityField.text = fmt.isNum(p.priority) ? String(p.priority) : "10"
        enabledToggle.checked = p.enabled !== false
        anthropicField.text = fmt.str(p.anthropicUrl)
        responsesField.text = fmt.str(p.responsesUrl)
        mapRows = fmt.list(p.modelMap).map(r => ({ from: fmt.str(r.from), to: fmt.str(r.to) }))
        headerRows = fmt.list(p.headers).map(r => ({ name: fmt.str(r.name), value: fmt.str(r.value) }))
        open()
    }

    function keyLines() {
        return keysArea.text.split("\n").map(s => s.trim()).filter(s => s !== "")
    }
    function cleanRows(rows, a, b) {
        return rows.filter(r => fmt.str(r[a]).trim() !== "")
                   .map(r => { const o = {}; o[a] = fmt.str(r[a]).trim(); o[b] = fmt.str(r[b]).trim(); return o })
    }
    function sameRows(x, y, a, b) {
        const xs = cleanRows(x, a, b).map(r => r[a] + "\u0000" + r[b]).sort()
        const ys = cleanRows(y, a, b).map(r => r[a] + "\u0000" + r[b]).sort()
        return JSON.stringify(xs) === JSON.stringify(ys)
    }

    // What is wrong with the form ("" when it can be saved).
    function validate() {
        const name = nameField.text.trim()
        if (name !== "" && !/^[A-Za-z0-9._-]{1,64}$/.test(name))
            return qsTr("The name may hold letters, digits, '.', '_' and '-' (at most 64).")
        if (isNew && name === "" && typeIndexOf(type) < 0)
            return qsTr("Pick a provider type.")
        if (isNew && preset.needsKey && keyLines().length === 0)
            return qsTr("Paste the provider's API key.")
        if (baseUrlField.text.trim() === "" && preset.baseUrl === "" && isNew)
            return qsTr("This provider type needs a base URL.")
        for (const f of [baseUrlField, anthropicField, responsesField]) {
            const u = f.text.trim()
            if (u !== "" && !/^https?:\/\/\S+$/.test(u))
                return qsTr("URLs start with http:// or https://.")
        }
        if (timeoutField.text.trim() !== "" && !/^\d+$/.test(timeoutField.text.trim()))
            return qsTr("The timeout is a whole number of seconds.")
        if (priorityField.text.trim() !== "" && !/^-?\d+$/.test(priorityField.text.trim()))
            return qsTr("The priority is a whole number.")
        return ""
    }

    // The fields for Backend.saveProvider: everything set when adding; only what changed when
    // editing (an absent key leaves the provider's value alone).
    function collect() {
        const f = {}
        const name = nameField.text.trim()
        const timeoutMs = timeoutField.text.trim() === "" ? 0 : Number(timeoutField.text.trim()) * 1000
        const priority = priorityField.text.trim() === "" ? 10 : Number(priorityField.text.trim())
        const protocol = catalog.protocols[Math.max(0, protocolSelect.currentIndex)].value
        const maps = cleanRows(mapRows, "from", "to")
        const headers = cleanRows(headerRows, "name", "value")
        const values = {
            name: name,
            protocol: protocol,
            baseUrl: baseUrlField.text.trim(),
            defaultModel: defaultModelSelect.editText.trim(),
            reasoningModel: reasoningModelSelect.editText.trim(),
            timeoutMs: timeoutMs,
            anthropicUrl: anthropicField.text.trim(),
            responsesUrl: responsesField.text.trim(),
            enabled: enabledToggle.checked,
            priority: priority
        }
        const keys = keyLines()
        if (keys.length > 0) f.keys = keys
        if (isNew) {
            f.type = type
            for (const k in values)
                if (values[k] !== "" || k === "enabled") f[k] = values[k]
            f.priority = priority
            if (timeoutMs > 0) f.timeoutMs = timeoutMs
            else delete f.timeoutMs
            if (protocol === "") delete f.protocol
            if (maps.length > 0) f.modelMap = maps
            if (headers.length > 0) f.headers = headers
            return f
        }
        const o = original
        if (name !== "" && name !== fmt.str(o.name)) f.name = name
        if (protocol !== "" && protocol !== fmt.str(o.protocol)) f.protocol = protocol
        for (const k of ["baseUrl", "defaultModel", "reasoningModel", "anthropicUrl", "responsesUrl"])
            if (values[k] !== fmt.str(o[k])) f[k] = values[k]
        if (timeoutMs !== (Number(o.timeoutMs) || 0)) f.timeoutMs = timeoutMs
        if (priority !== Number(o.priority)) f.priority = priority
        if (values.enabled !== (o.enabled !== false)) f.enabled = values.enabled
        if (!sameRows(maps, fmt.list(o.modelMap), "from", "to")) f.modelMap = maps
        if (!sameRows(headers, fmt.list(o.headers), "name", "value")) f.headers = headers
        return f
    }

    function save() {
        error = validate()
        if (error !== "") return
        Backend.saveProvider(isNew ? "" : originalName, collect())
        close()
    }

    Connections {
        target: Backend
        function onModelsFetched(name, models, err) {
            if (name !== editor.originalName) return
            editor.fetching = false
            editor.fetchedModels = fmt.list(models)
            editor.fetchError = fmt.str(err)
        }
        function onProviderTested(name, ok, steps) {
            if (name !== editor.originalName) return
            editor.testing = false
            editor.testSteps = fmt.list(steps)
        }
    }

    Segmented {
        objectName: "providerEditorTabs"
        Layout.bottomMargin: 4
        options: [{ value: "basic", text: qsTr("Basic") }, { value: "advanced", text: qsTr("Advanced") }]
        value: editor.tab
        onActivated: (v) => editor.tab = v
    }

    // --- Basic -----------------------------------------------------------------------------
    ColumnLayout {
        Layout.fillWidth: true
        visible: editor.tab === "basic"
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            FormField {
                label: qsTr("Type")
                hint: editor.isNew ? "" : qsTr("The type of a saved provider stays.")
                Select {
                    id: typeSelect
                    objectName: "providerType"
                    Layout.fillWidth: true
                    enabled: editor.isNew
                    model: editor.presets
                    textRole: "text"
                    valueRole: "value"
                    displayText: currentIndex >= 0 ? currentText : catalog.typeTitle(editor.type)
                    onActivated: (i) => editor.type = editor.presets[i].value
                }
            }
            FormField {
                label: qsTr("Name")
                InputField {
                    id: nameField
                    objectName: "providerName"
                    Layout.fillWidth: true
                    placeholderText: editor.type
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            FormField {
                label: qsTr("Protocol")
                Select {
                    id: protocolSelect
                    objectName: "providerProtocol"
                    Layout.fillWidth: true
                    model: catalog.protocols
                    textRole: "text"
                    valueRole: "value"
                }
            }
            FormField {
                label: qsTr("Base URL")
                InputField {
                    id: baseUrlField
                    objectName: "providerBaseUrl"
                    Layout.fillWidth: true
                    mono: true
                    placeholderText: editor.preset.baseUrl !== "" ? editor.preset.baseUrl
                                                                  : "https://…/v1"
                }
            }
        }
        FormField {
            label: editor.isNew ? qsTr("API key(s)") : qsTr("Replace API key(s)")
            hint: editor.isNew
                  ? qsTr("One key per line; several keys are used in turn.")
                  : fmt.list(editor.original.keys).length > 0
                    ? qsTr("Stored: %1. Leave empty to keep them; keys typed here replace them all.")
                          .arg(fmt.list(editor.original.keys).join(", "))
                    : qsTr("No key stored. One key per line.")
            InputArea {
                id: keysArea
                objectName: "providerKeys"
                Layout.fillWidth: true
                implicitHeight: 74
                mono: true
                placeholderText: editor.isNew ? "sk-…" : qsTr("Leave empty to keep the stored keys")
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            FormField {
                label: qsTr("Default model")
                hint: qsTr("Sent when a client's model is not mapped")
                Select {
                    id: defaultModelSelect
                    objectName: "providerDefaultModel"
                    placeholderText: editor.preset.defaultModel
                    Layout.fillWidth: true
                    editable: true
                    mono: true
                    model: editor.knownModels
                }
            }
            FormField {
                label: qsTr("Reasoning model")
                hint: qsTr("Used when thinking is asked for")
                Select {
                    id: reasoningModelSelect
                    objectName: "providerReasoningModel"
                    placeholderText: qsTr("optional")
                    Layout.fillWidth: true
                    editable: true
                    mono: true
                    model: editor.knownModels
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            ActionButton {
                objectName: "providerFetchModels"
                text: qsTr("Fetch models")
                compact: true
                enabled: !editor.isNew && Backend.connected && !editor.fetching
                busy: editor.fetching
                onClicked: {
                    editor.fetching = true
                    editor.fetchError = ""
                    Backend.fetchModels(editor.originalName)
                }
            }
            Label {
                Layout.fillWidth: true
                text: editor.isNew ? qsTr("Save the provider first to fetch its models.")
                    : editor.fetchError !== "" ? editor.fetchError
                    : editor.fetchedModels.length > 0
                      ? qsTr("Models fetched: %1. Pick one from the lists above.").arg(editor.fetchedModels.length)
                    : ""
                color: editor.fetchError !== "" ? Theme.error : Theme.textMuted
                font.pixelSize: Theme.smallFont
                wrapMode: Text.Wrap
            }
        }
    }

    // --- Advanced ----------------------------------------------------------------------------
    ColumnLayout {
        Layout.fillWidth: true
        visible: editor.tab === "advanced"
        spacing: 12

        RowLayout {
            Layout.fillWidth: true
            spacing: 12
            FormField {
                label: qsTr("Timeout (seconds)")
                hint: qsTr("To the first byte, then between bytes")
                InputField {
                    id: timeoutField
                    objectName: "providerTimeout"
                    Layout.fillWidth: true
                    placeholderText: qsTr("300 (default)")
                    inputMethodHints: Qt.ImhDigitsOnly
                }
            }
            FormField {
                label: qsTr("Priority")
                hint: qsTr("Lower is tried first in new routes")
                InputField {
                    id: priorityField
                    objectName: "providerPriority"
                    Layout.fillWidth: true
                    placeholderText: "10"
                }
            }
            FormField {
                label: qsTr("Enabled")
                Toggle {
                    id: enabledToggle
                    objectName: "providerEnabledToggle"
                    checked: true
                }
            }
        }

        FormField {
            label: qsTr("Model mapping")
            hint: qsTr("A client's model → this provider's model; * matches any model.")
        }
        // (In a Column: a Repeater rebuilding inside a Qt 6.4 layout can crash it.)
        Column {
            Layout.fillWidth: true
            visible: editor.mapRows.length > 0
            spacing: 8
        Repeater {
            model: editor.mapRows
            delegate: RowLayout {
                id: mapRow
                required property var modelData
                required property int index
                width: editor.bodyWidth
                spacing: 8
                InputField {
                    Layout.fillWidth: true
                    mono: true
                    placeholderText: "claude-*"
                    text: mapRow.modelData.from
                    onTextEdited: editor.mapRows[mapRow.index].from = text
                }
                Label { text: "→"; color: Theme.textMuted }
                InputField {
                    Layout.fillWidth: true
                    mono: true
                    placeholderText: "deepseek-v4-pro"
                    text: mapRow.modelData.to
                    onTextEdited: editor.mapRows[mapRow.index].to = text
                }
                ActionButton {
                    kind: "ghost"
                    compact: true
                    text: "✕"
                    glyph: true
                    onClicked: {
                        const rows = editor.mapRows.slice()
                        rows.splice(mapRow.index, 1)
                        editor.mapRows = rows
                    }
                }
            }
        }
        }
        ActionButton {
            objectName: "providerAddMapping"
            kind: "ghost"
            compact: true
            text: qsTr("+ Add mapping")
            onClicked: editor.mapRows = editor.mapRows.concat([{ from: "", to: "" }])
        }

        FormField {
            label: qsTr("Anthropic Messages URL")
            hint: qsTr("Claude Code's requests pass through unchanged to this endpoint.")
            InputField {
                id: anthropicField
                objectName: "providerAnthropicUrl"
                Layout.fillWidth: true
                mono: true
                placeholderText: editor.preset.anthropicUrl !== "" ? editor.preset.anthropicUrl
                                                                   : qsTr("none")
            }
        }
        FormField {
            label: qsTr("Responses URL")
            hint: qsTr("Codex's Responses requests pass through unchanged to this endpoint.")
            InputField {
                id: responsesField
                objectName: "providerResponsesUrl"
                Layout.fillWidth: true
                mono: true
                placeholderText: editor.preset.responsesUrl !== "" ? editor.preset.responsesUrl
                                                                   : qsTr("none")
            }
        }

        FormField {
            label: qsTr("Extra headers")
            hint: qsTr("Sent with every request. Keys belong in the key box, not here.")
        }
        // (In a Column: a Repeater rebuilding inside a Qt 6.4 layout can crash it.)
        Column {
            Layout.fillWidth: true
            visible: editor.headerRows.length > 0
            spacing: 8
        Repeater {
            model: editor.headerRows
            delegate: RowLayout {
                id: headerRow
                required property var modelData
                required property int index
                width: editor.bodyWidth
                spacing: 8
                InputField {
                    Layout.preferredWidth: 200
                    mono: true
                    placeholderText: "X-Header"
                    text: headerRow.modelData.name
                    onTextEdited: editor.headerRows[headerRow.index].name = text
                }
                InputField {
                    Layout.fillWidth: true
                    mono: true
                    placeholderText: qsTr("value")
                    text: headerRow.modelData.value
                    onTextEdited: editor.headerRows[headerRow.index].value = text
                }
                ActionButton {
                    kind: "ghost"
                    compact: true
                    text: "✕"
                    glyph: true
                    onClicked: {
                        const rows = editor.headerRows.slice()
                        rows.splice(headerRow.index, 1)
                        editor.headerRows = rows
                    }
                }
            }
        }
        }
        ActionButton {
            objectName: "providerAddHeader"
            kind: "ghost"
            compact: true
            text: qsTr("+ Add header")
            onClicked: editor.headerRows = editor.headerRows.concat([{ name: "", value: "" }])
        }
    }

    // --- connection test (saved providers) ----------------------------------------------------------
    Rectangle {
        Layout.fillWidth: true
        Layout.topMargin: 4
        visible: !editor.isNew
        implicitHeight: testColumn.implicitHeight + 24
        radius: 8
        color: Theme.window
        border.color: Theme.cardBorder
        ColumnLayout {
            id: testColumn
            anchors.fill: parent
            anchors.margins: 12
            spacing: 10
            RowLayout {
                Layout.fillWidth: true
                Label {
                    Layout.fillWidth: true
                    text: qsTr("Connection test (of the saved settings)")
                    color: Theme.text
                    font.bold: true
                    wrapMode: Text.Wrap
                }
                ActionButton {
                    objectName: "providerEditorTest"
                    text: qsTr("Test connection")
                    compact: true
                    busy: editor.testing
                    enabled: Backend.connected && !editor.testing
                    onClicked: {
                        editor.testing = true
                        editor.testSteps = []
                        Backend.testProvider(editor.originalName)
                    }
                }
            }
            StepBar {
                objectName: "providerEditorSteps"
                Layout.fillWidth: true
                hideSkippedExtras: true
                running: editor.testing
                steps: editor.testSteps.length > 0 || editor.testing ? editor.testSteps
                                                                     : fmt.list(editor.original.lastTestSteps)
            }
        }
    }

    Label {
        objectName: "providerEditorError"
        Layout.fillWidth: true
        visible: editor.error !== ""
        text: editor.error
        color: Theme.error
        wrapMode: Text.Wrap
    }

    buttons: [
        Item { Layout.fillWidth: true },
        ActionButton {
            objectName: "providerCancel"
            text: qsTr("Cancel")
            onClicked: editor.close()
        },
        ActionButton {
            objectName: "providerSave"
            kind: "primary"
            text: editor.isNew ? qsTr("Add provider") : qsTr("Save")
            enabled: Backend.connected
            onClicked: editor.save()
        }
    ]
}
