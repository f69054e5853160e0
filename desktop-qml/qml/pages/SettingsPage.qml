// Settings: theme and language, the desktop pet, start-up behaviour, Quick Setup, the gateway's
// local token and the daily budget.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "settingsPage"

    title: qsTr("Settings")
    subtitle: qsTr("How the app looks and behaves; the gateway's token and budget.")

    property bool showToken: false
    readonly property var settings: Backend.settings
    readonly property var pet: Backend.pet
    readonly property var budget: Backend.budget ?? ({})

    Fmt { id: fmt }

    // One labelled row of a settings card: the text on the left, the control (children) right.
    component SettingRow: RowLayout {
        id: settingRow
        property string label
        property string hint
        default property alias control: controlHolder.data
        Layout.fillWidth: true
        spacing: 16
        ColumnLayout {
            Layout.fillWidth: true
            spacing: 2
            Label {
                Layout.fillWidth: true
                text: settingRow.label
                color: Theme.text
                wrapMode: Text.Wrap
            }
            Label {
                Layout.fillWidth: true
                visible: settingRow.hint !== ""
                text: settingRow.hint
                color: Theme.textMuted
                font.pixelSize: Theme.smallFont
                wrapMode: Text.Wrap
            }
        }
        RowLayout {
            id: controlHolder
            spacing: 8
        }
    }
    component Divider: Rectangle {
        Layout.fillWidth: true
        height: 1
        color: Theme.cardBorder
    }

    // --- appearance ------------------------------------------------------------------------------
    Card {
        objectName: "appearanceCard"
        Layout.fillWidth: true

        SectionHeader { title: qsTr("Appearance") }
        SettingRow {
            label: qsTr("Theme")
            hint: qsTr("Dark in warm amber, or light in clean grey.")
            Segmented {
                objectName: "themeSwitch"
                options: [{ value: "dark", text: qsTr("Dark") }, { value: "light", text: qsTr("Light") }]
                value: page.settings ? fmt.str(page.settings.theme) : "dark"
                onActivated: (v) => { if (page.settings) page.settings.theme = v }
            }
        }
        Divider {}
        SettingRow {
            label: qsTr("Language")
            Segmented {
                objectName: "languageSwitch"
                // Each language in its own words (not translated).
                options: [{ value: "en", text: "English" }, { value: "zh_CN", text: "中文" }]
                value: page.settings ? fmt.str(page.settings.language) : "en"
                onActivated: (v) => { if (page.settings) page.settings.language = v }
            }
        }
    }

    // --- pet -----------------------------------------------------------------------------------
    Card {
        id: petCard
        objectName: "petCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Desktop pet")
            subtitle: qsTr("A small companion on your desktop that reacts to requests, errors and the gateway starting and stopping.")
        }
        SettingRow {
            label: qsTr("Show the pet")
            Toggle {
                objectName: "petVisibleSwitch"
                checked: page.settings ? page.settings.petVisible === true : false
                onToggled: if (page.settings) page.settings.petVisible = checked
            }
        }
        Divider {}
        Label {
            text: qsTr("Character")
            color: Theme.text
        }
        // A Flow, not a GridLayout (no Repeater directly in a Qt 6.4 layout).
        Flow {
            id: petGrid
            readonly property int columns: page.width > 900 ? 5 : 3
            readonly property real cellWidth: (petCard.contentWidth - spacing * (columns - 1)) / columns
            Layout.fillWidth: true
            spacing: 10
            Repeater {
                model: page.pet ? fmt.list(page.pet.characters) : []
                delegate: AbstractButton {
                    id: petTile
                    required property var modelData
                    readonly property string cid: String(modelData)
                    readonly property bool selected: page.settings && fmt.str(page.settings.petCharacter) === cid
                    objectName: "petCharacter_" + cid
                    width: petGrid.cellWidth
                    implicitHeight: 44
                    hoverEnabled: true
                    onClicked: if (page.settings) page.settings.petCharacter = cid
                    background: Rectangle {
                        radius: 8
                        color: petTile.selected ? Theme.accentSoft : petTile.hovered ? Theme.window : Theme.input
                        border.width: petTile.selected ? 2 : 1
                        border.color: petTile.selected ? Theme.accent : Theme.cardBorder
                    }
                    contentItem: Label {
                        text: page.pet ? fmt.str(page.pet.characterName(petTile.cid)) : petTile.cid
                        color: petTile.selected ? Theme.accent : Theme.text
                        font.bold: petTile.selected
                        horizontalAlignment: Text.AlignHCenter
                        verticalAlignment: Text.AlignVCenter
                        elide: Text.ElideRight
                    }
                }
            }
        }
    }

    // --- start-up -----------------------------------------------------------------------------------
    Card {
        objectName: "startupCard"
        Layout.fillWidth: true

        SectionHeader { title: qsTr("Start-up and window") }
        SettingRow {
            label: qsTr("Start AgentGate when I log in")
            hint: qsTr("Starts in the tray, without the window.")
            Toggle {
                objectName: "autostartSwitch"
                checked: page.settings ? page.settings.autostart === true : false
                onToggled: if (page.settings) page.settings.autostart = checked
            }
        }
        Divider {}
        SettingRow {
            label: qsTr("Keep running in the tray when the window is closed")
            hint: qsTr("Otherwise closing the window quits the app. The gateway keeps running either way.")
            Toggle {
                objectName: "closeToTraySwitch"
                checked: page.settings ? page.settings.closeToTray === true : false
                onToggled: if (page.settings) page.settings.closeToTray = checked
            }
        }
        Divider {}
        SettingRow {
            label: qsTr("Show Quick Setup")
            hint: qsTr("Quick Setup hides itself once a provider exists; turn this on to use it again.")
            Toggle {
                objectName: "quickSetupSwitch"
                checked: page.settings ? page.settings.quickSetupForced === true : false
                onToggled: if (page.settings) page.settings.quickSetupForced = checked
            }
        }
    }

    // --- gateway auth ----------------------------------------------------------------------------
    Card {
        objectName: "authCard"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Gateway access")
            subtitle: qsTr("Agents authenticate to the gateway with this local token. It is kept in %1.")
                      .arg(fmt.str(Backend.home) + "/token")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Rectangle {
                Layout.fillWidth: true
                implicitHeight: 38
                radius: 8
                color: Theme.input
                border.color: Theme.cardBorder
                Label {
                    anchors.fill: parent
                    anchors.leftMargin: 12
                    anchors.rightMargin: 12
                    verticalAlignment: Text.AlignVCenter
                    text: fmt.str(Backend.token) === "" ? qsTr("not known yet: start the gateway")
                          : page.showToken ? fmt.str(Backend.token) : fmt.mask(Backend.token)
                    color: fmt.str(Backend.token) === "" ? Theme.textMuted : Theme.text
                    font.family: Theme.mono
                    elide: Text.ElideMiddle
                }
            }
            ActionButton {
                objectName: "settingsTokenShow"
                text: page.showToken ? qsTr("Hide") : qsTr("Show")
                enabled: fmt.str(Backend.token) !== ""
                onClicked: page.showToken = !page.showToken
            }
            ActionButton {
                objectName: "settingsTokenCopy"
                text: qsTr("Copy")
                enabled: fmt.str(Backend.token) !== ""
                onClicked: Backend.copyToken()
            }
            ActionButton {
                objectName: "settingsTokenRegenerate"
                kind: "danger"
                text: qsTr("Regenerate…")
                enabled: Backend.connected
                onClicked: regenerateConfirm.open()
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Label {
                text: qsTr("Token file")
                color: Theme.textMuted
                font.pixelSize: Theme.smallFont
            }
            Label {
                Layout.fillWidth: true
                text: fmt.str(Backend.home) + "/token"
                color: Theme.text
                font.family: Theme.mono
                font.pixelSize: Theme.smallFont
                elide: Text.ElideMiddle
            }
            CopyButton { value: fmt.str(Backend.home) + "/token" }
        }
    }

    // --- budget -------------------------------------------------------------------------------
    Card {
        id: budgetCard
        objectName: "budgetSettingsCard"
        Layout.fillWidth: true

        readonly property var modes: [
            { value: "notify", text: qsTr("Only tell me") },
            { value: "block", text: qsTr("Block requests") },
            { value: "cheapest", text: qsTr("Use the cheapest provider") }
        ]
        function modeIndex(m) {
            for (let i = 0; i < modes.length; ++i)
                if (modes[i].value === m) return i
            return 0
        }

        SectionHeader {
            title: qsTr("Daily budget")
            subtitle: Number(page.budget.limitUsd) > 0
                      ? qsTr("%1 of %2 spent today.").arg(fmt.cost(page.budget.spentUsd ?? 0)).arg(fmt.cost(page.budget.limitUsd))
                      : qsTr("No budget: requests are never limited by cost.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 10
            FormField {
                label: qsTr("Limit per day (US dollars)")
                InputField {
                    id: budgetField
                    objectName: "budgetLimit"
                    Layout.fillWidth: true
                    placeholderText: qsTr("e.g. 5")
                    text: Number(page.budget.limitUsd) > 0 ? String(page.budget.limitUsd) : ""
                    invalid: text.trim() !== "" && !(Number(text) >= 0)
                }
            }
            FormField {
                label: qsTr("When it is spent")
                Select {
                    id: budgetMode
                    objectName: "budgetMode"
                    Layout.fillWidth: true
                    model: budgetCard.modes
                    textRole: "text"
                    valueRole: "value"
                    currentIndex: budgetCard.modeIndex(fmt.str(page.budget.mode))
                }
            }
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            Item { Layout.fillWidth: true }
            ActionButton {
                objectName: "budgetRemove"
                kind: "ghost"
                text: qsTr("Remove budget")
                visible: Number(page.budget.limitUsd) > 0
                enabled: Backend.connected
                onClicked: Backend.setBudget(0, budgetCard.modes[Math.max(0, budgetMode.currentIndex)].value)
            }
            ActionButton {
                objectName: "budgetSave"
                kind: "primary"
                text: qsTr("Save budget")
                enabled: Backend.connected && !budgetField.invalid && budgetField.text.trim() !== ""
                onClicked: Backend.setBudget(Number(budgetField.text.trim()),
                                             budgetCard.modes[Math.max(0, budgetMode.currentIndex)].value)
            }
        }
    }

    // --- backups ------------------------------------------------------------------------------
    Card {
        objectName: "backupsCard"
        Layout.fillWidth: true
        Component.onCompleted: if (Backend.connected) Backend.refreshBackups()

        SectionHeader {
            title: qsTr("Backups")
            subtitle: Number(Backend.backupSchedule.everyMs) > 0
                      ? qsTr("The gateway makes one a day by itself and keeps the newest %1, in %2. To restore, stop the gateway and run: agentgatectl backup restore NAME").arg(Backend.backupSchedule.keep).arg(fmt.str(Backend.backupSchedule.dir))
                      : qsTr("Providers, keys, routes, accounts and records, copied while the gateway serves. To restore, stop the gateway and run: agentgatectl backup restore NAME")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            InputField {
                id: backupPassphrase
                objectName: "backupPassphrase"
                Layout.fillWidth: true
                echoMode: TextInput.Password
                placeholderText: qsTr("Passphrase (optional: then the backup restores on any machine)")
            }
            ActionButton {
                objectName: "backupCreate"
                kind: "primary"
                text: qsTr("Back up now")
                enabled: Backend.connected
                onClicked: {
                    Backend.createBackup(backupPassphrase.text)
                    backupPassphrase.text = ""
                }
            }
        }
        Repeater {
            model: Backend.backups
            delegate: RowLayout {
                required property var modelData
                Layout.fillWidth: true
                spacing: 10
                Label {
                    Layout.fillWidth: true
                    text: modelData.name
                    font.family: Theme.mono
                    color: Theme.text
                    elide: Text.ElideMiddle
                }
                Label {
                    text: modelData.error !== "" ? qsTr("unreadable")
                          : modelData.made + " · " + modelData.sizeText + " · "
                            + (modelData.seal === "passphrase" ? qsTr("passphrase") : qsTr("master key"))
                    color: Theme.textMuted
                    font.pixelSize: Theme.smallFont
                }
            }
        }
    }

    ConfirmDialog {
        id: regenerateConfirm
        objectName: "settingsRegenerateConfirm"
        title: qsTr("Regenerate the local token?")
        message: qsTr("The old token stops working at once. Clients configured with it fail until you apply them again on the Clients page.")
        confirmText: qsTr("Regenerate")
        onConfirmed: Backend.regenerateToken()
    }
}
