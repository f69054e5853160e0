// Add or edit a routing rule: a name, a scene preset (Image requests, Reasoning, Background,
// Long text, Tool-heavy) and/or conditions of its own, and the provider (and model) that
// matching requests go to first. openNew() / openEdit(rule, index); `saved(rule, index)` with
// index -1 for a new rule. The page puts the rule into the route and saves the route.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Ui

AppDialog {
    id: editor

    objectName: "ruleEditor"
    preferredWidth: 640
    title: index < 0 ? qsTr("Add rule") : qsTr("Edit rule %1").arg(nameField.text)

    // The provider names a rule may send to, and each provider's known models {name: [models]}.
    property var providers: []
    property var modelsOf: ({})
    // The other rules' names (a name is unique within a route).
    property var takenNames: []

    property int index: -1
    property string scene: ""
    property string error: ""
    signal saved(var rule, int index)

    Fmt { id: fmt }
    Catalog { id: catalog }

    // What each preset scene fills into the conditions on the router: shown as the scene,
    // not again as conditions of the rule's own.
    function stripScene(c, s) {
        const out = Object.assign({}, c)
        if (s === "image") out.hasImages = false
        if (s === "reasoning") out.thinking = false
        if (s === "long_text" && Number(out.minInputTokens) === 60000) out.minInputTokens = 0
        if (s === "tool_heavy" && Number(out.minTools) === 20) out.minTools = 0
        return out
    }

    function load(rule) {
        const r = rule ?? ({})
        error = ""
        nameField.text = fmt.str(r.name)
        scene = fmt.str(r.scene)
        const c = stripScene(r.conditions ?? ({}), scene)
        tokensField.text = Number(c.minInputTokens) > 0 ? String(c.minInputTokens) : ""
        imagesBox.checked = c.hasImages === true
        toolsBox.checked = c.hasTools === true
        minToolsField.text = Number(c.minTools) > 0 ? String(c.minTools) : ""
        thinkingBox.checked = c.thinking === true
        systemField.text = fmt.list(c.systemKeywords).join(", ")
        modelKwField.text = fmt.list(c.modelKeywords).join(", ")
        const p = fmt.str(r.provider)
        providerSelect.currentIndex = Math.max(0, providers.indexOf(p))
        modelSelect.setText(fmt.str(r.model))
        enabledToggle.checked = r.disabled !== true
    }
    function openNew() {
        index = -1
        load({})
        open()
        nameField.forceActiveFocus()
    }
    function openEdit(rule, i) {
        index = i
        load(rule)
        open()
    }

    function words(text) {
        return text.split(",").map(s => s.trim()).filter(s => s !== "")
    }
    readonly property var conditions: ({
        minInputTokens: Number(tokensField.text) || 0,
        hasImages: imagesBox.checked,
        hasTools: toolsBox.checked,
        minTools: Number(minToolsField.text) || 0,
        thinking: thinkingBox.checked,
        systemKeywords: words(systemField.text),
        modelKeywords: words(modelKwField.text)
    })
    readonly property bool hasConditions: conditions.minInputTokens > 0 || conditions.hasImages
                                          || conditions.hasTools || conditions.minTools > 0
                                          || conditions.thinking
                                          || conditions.systemKeywords.length > 0
                                          || conditions.modelKeywords.length > 0

    function save() {
        const name = nameField.text.trim()
        if (!/^[A-Za-z0-9._-]{1,64}$/.test(name))
            error = qsTr("Give the rule a name: letters, digits, '.', '_' and '-'.")
        else if (takenNames.indexOf(name) >= 0)
            error = qsTr("Another rule of this route is called %1.").arg(name)
        else if (providers.length === 0 || providerSelect.currentIndex < 0)
            error = qsTr("Pick the provider that matching requests go to.")
        else if (scene === "" && !hasConditions)
            error = qsTr("Pick a scene or set at least one condition: a rule without either matches every request.")
        else if (tokensField.text.trim() !== "" && !/^\d+$/.test(tokensField.text.trim()))
            error = qsTr("Input tokens is a whole number.")
        else if (minToolsField.text.trim() !== "" && !/^\d+$/.test(minToolsField.text.trim()))
            error = qsTr("The number of tools is a whole number.")
        else
            error = ""
        if (error !== "") return
        saved({
            name: name,
            scene: scene,
            provider: providers[providerSelect.currentIndex],
            model: modelSelect.editText.trim(),
            disabled: !enabledToggle.checked,
            conditions: conditions
        }, index)
        close()
    }

    RowLayout {
        Layout.fillWidth: true
        spacing: 12
        FormField {
            label: qsTr("Rule name")
            InputField {
                id: nameField
                objectName: "ruleName"
                Layout.fillWidth: true
                placeholderText: qsTr("pictures")
            }
        }
        Toggle {
            id: enabledToggle
            objectName: "ruleEnabled"
            Layout.alignment: Qt.AlignBottom
            Layout.bottomMargin: 7
            text: qsTr("Enabled")
            checked: true
        }
    }

    FormField {
        label: qsTr("Scene")
        hint: qsTr("A preset condition. Conditions below add to it: all must hold.")
    }
    // A Flow, not a GridLayout (no Repeater directly in a Qt 6.4 layout).
    Flow {
        id: sceneGrid
        readonly property real cellWidth: (editor.bodyWidth - spacing * 2) / 3
        Layout.fillWidth: true
        spacing: 8
        Repeater {
            model: [{ value: "", text: qsTr("No scene"), hint: qsTr("Only the conditions below.") }]
                   .concat(catalog.scenes)
            delegate: AbstractButton {
                id: sceneButton
                required property var modelData
                readonly property bool selected: editor.scene === modelData.value
                objectName: "ruleScene_" + (modelData.value === "" ? "none" : modelData.value)
                width: sceneGrid.cellWidth
                implicitHeight: 62
                topPadding: 8
                bottomPadding: 8
                hoverEnabled: true
                onClicked: {
                    // Conditions that only repeated the old scene go with it.
                    const c = editor.stripScene(editor.conditions, editor.scene)
                    imagesBox.checked = c.hasImages
                    thinkingBox.checked = c.thinking
                    tokensField.text = c.minInputTokens > 0 ? String(c.minInputTokens) : ""
                    minToolsField.text = c.minTools > 0 ? String(c.minTools) : ""
                    editor.scene = modelData.value
                }
                background: Rectangle {
                    radius: 8
                    color: sceneButton.selected ? Theme.accentSoft
                         : sceneButton.hovered ? Theme.window : Theme.input
                    border.width: sceneButton.selected ? 2 : 1
                    border.color: sceneButton.selected ? Theme.accent : Theme.cardBorder
                }
                contentItem: ColumnLayout {
                    id: sceneCol
                    spacing: 2
                    Label {
                        Layout.fillWidth: true
                        Layout.leftMargin: 10
                        Layout.rightMargin: 10
                        text: sceneButton.modelData.text
                        color: sceneButton.selected ? Theme.accent : Theme.text
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Label {
                        Layout.fillWidth: true
                        Layout.leftMargin: 10
                        Layout.rightMargin: 10
                        text: sceneButton.modelData.hint
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont - 1
                        wrapMode: Text.Wrap
                        maximumLineCount: 2
                        elide: Text.ElideRight
                    }
                    Item { Layout.fillHeight: true }
                }
            }
        }
    }

    FormField {
        label: qsTr("Conditions of its own")
        hint: qsTr("Optional. Every condition that is set must hold.")
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 16
        TickBox {
            id: imagesBox
            objectName: "ruleImages"
            text: qsTr("Has images")
        }
        TickBox {
            id: thinkingBox
            objectName: "ruleThinking"
            text: qsTr("Asks for thinking")
        }
        TickBox {
            id: toolsBox
            objectName: "ruleTools"
            text: qsTr("Has tools")
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 12
        FormField {
            label: qsTr("At least this many input tokens")
            InputField {
                id: tokensField
                objectName: "ruleMinTokens"
                Layout.fillWidth: true
                placeholderText: qsTr("e.g. 100000")
            }
        }
        FormField {
            label: qsTr("At least this many tools")
            InputField {
                id: minToolsField
                objectName: "ruleMinTools"
                Layout.fillWidth: true
                placeholderText: qsTr("e.g. 8")
            }
        }
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 12
        FormField {
            label: qsTr("System prompt mentions")
            hint: qsTr("Any of these words, comma-separated")
            InputField {
                id: systemField
                objectName: "ruleSystemKeywords"
                Layout.fillWidth: true
                placeholderText: qsTr("refactor, migrate")
            }
        }
        FormField {
            label: qsTr("Requested model contains")
            hint: qsTr("Any of these words, comma-separated")
            InputField {
                id: modelKwField
                objectName: "ruleModelKeywords"
                Layout.fillWidth: true
                placeholderText: qsTr("opus, gpt-5")
            }
        }
    }

    Rectangle {
        Layout.fillWidth: true
        Layout.topMargin: 4
        height: 1
        color: Theme.cardBorder
    }
    RowLayout {
        Layout.fillWidth: true
        spacing: 12
        FormField {
            label: qsTr("Send to provider")
            Select {
                id: providerSelect
                objectName: "ruleProvider"
                Layout.fillWidth: true
                model: editor.providers
                displayText: editor.providers.length === 0 ? qsTr("No providers") : currentText
            }
        }
        FormField {
            label: qsTr("Model")
            hint: qsTr("Empty: the provider's mapping of the requested model")
            Select {
                id: modelSelect
                objectName: "ruleModel"
                Layout.fillWidth: true
                editable: true
                mono: true
                model: fmt.list(editor.modelsOf[editor.providers[providerSelect.currentIndex] ?? ""])
            }
        }
    }

    Label {
        objectName: "ruleEditorError"
        Layout.fillWidth: true
        visible: editor.error !== ""
        text: editor.error
        color: Theme.error
        wrapMode: Text.Wrap
    }

    buttons: [
        Item { Layout.fillWidth: true },
        ActionButton {
            objectName: "ruleCancel"
            text: qsTr("Cancel")
            onClicked: editor.close()
        },
        ActionButton {
            objectName: "ruleSave"
            kind: "primary"
            text: editor.index < 0 ? qsTr("Add rule") : qsTr("Save rule")
            onClicked: editor.save()
        }
    ]
}
