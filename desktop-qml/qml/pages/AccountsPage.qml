// Accounts: the official ChatGPT accounts the gateway uses like provider keys (a provider of
// type chatgpt, the pool): import a Codex auth.json or sign in by device code, each account's
// state and its 5-hour and
// weekly quota with reset times, refresh a sign-in, write it back for Codex ("switch back to
// official"), remove.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "accountsPage"

    title: qsTr("Accounts")
    subtitle: qsTr("Your official ChatGPT accounts, used in their order: when one reaches its usage limit, or nearly, the next one serves, and Codex's conversation goes on.")

    Fmt { id: fmt }

    actions: [
        ActionButton {
            objectName: "accountsRefresh"
            text: qsTr("Refresh")
            onClicked: Backend.refresh()
        }
    ]

    Card {
        Layout.fillWidth: true
        padding: 14
        SectionHeader {
            title: qsTr("Import a sign-in")
            subtitle: qsTr("Codex keeps it in auth.json after `codex login`. The gateway then refreshes it by itself; refresh tokens rotate, so Codex's own copy stops working: point Codex at the gateway on the Clients page.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            InputField {
                id: authPath
                objectName: "accountAuthPath"
                Layout.fillWidth: true
                mono: true
                placeholderText: Backend.defaultAuthPath()
            }
            ActionButton {
                objectName: "accountImport"
                kind: "primary"
                text: qsTr("Import")
                enabled: Backend.connected
                onClicked: Backend.importAccount(authPath.text)
            }
        }
    }

    Card {
        Layout.fillWidth: true
        padding: 14
        SectionHeader {
            title: qsTr("Sign in with ChatGPT")
            subtitle: Backend.signIn.active
                      ? qsTr("Open the address below in any browser, sign in, and enter the code. It expires in 15 minutes; never share it.")
                      : qsTr("Signs an account in for the gateway alone, as Codex does with a device code; Codex's own sign-in is left as it is.")
        }
        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            visible: Backend.signIn.active === true
            Text {
                objectName: "accountSignInUrl"
                Layout.fillWidth: true
                text: Backend.signIn.url || ""
                color: Theme.text
                font.family: Theme.mono
                elide: Text.ElideMiddle
            }
            Text {
                objectName: "accountSignInCode"
                text: Backend.signIn.code || ""
                color: Theme.accent
                font.family: Theme.mono
                font.pixelSize: 20
                font.bold: true
            }
            ActionButton {
                text: qsTr("Open")
                onClicked: Qt.openUrlExternally(Backend.signIn.url)
            }
            ActionButton {
                text: qsTr("Cancel")
                onClicked: Backend.cancelSignIn()
            }
        }
        ActionButton {
            objectName: "accountSignIn"
            visible: Backend.signIn.active !== true
            kind: "primary"
            text: qsTr("Sign in…")
            enabled: Backend.connected
            onClicked: Backend.signInAccount()
        }
    }

    EmptyState {
        Layout.fillWidth: true
        visible: accountRepeater.count === 0
        title: qsTr("No accounts yet")
        text: qsTr("Import ~/.codex/auth.json to use your ChatGPT plan through the gateway.")
    }

    Repeater {
        id: accountRepeater
        model: Backend.accounts
        delegate: Card {
            id: card
            required property var accountId
            required property var email
            required property var plan
            required property var provider
            required property var position
            required property var standing
            required property var detail
            required property var primaryUsed
            required property var secondaryUsed
            required property var primaryReset
            required property var secondaryReset
            required property var quotaAgo
            required property var expiresText

            readonly property string account: fmt.str(accountId)
            objectName: "accountCard_" + account
            Layout.fillWidth: true
            spacing: 10
            edgeColor: standing === "ready" ? fmt.tint(Theme.ok, 0.5)
                     : standing === "low" ? Theme.warn
                     : Theme.cardBorder

            RowLayout {
                Layout.fillWidth: true
                spacing: 10
                Label {
                    text: "#" + fmt.str(card.position)
                    color: Theme.textMuted
                    font.bold: true
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 1
                    Label {
                        Layout.fillWidth: true
                        text: fmt.str(card.email) !== "" ? fmt.str(card.email) : card.account
                        color: Theme.text
                        font.bold: true
                        elide: Text.ElideRight
                    }
                    Label {
                        Layout.fillWidth: true
                        text: qsTr("%1 · plan %2 · pool %3").arg(card.account)
                              .arg(fmt.str(card.plan) !== "" ? fmt.str(card.plan) : qsTr("unknown"))
                              .arg(fmt.str(card.provider))
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                        font.family: Theme.mono
                        elide: Text.ElideMiddle
                    }
                }
                Badge {
                    objectName: "accountState_" + card.account
                    text: card.standing === "ready" ? qsTr("ready")
                        : card.standing === "low" ? qsTr("nearly spent")
                        : card.standing === "spent" ? qsTr("limit reached")
                        : qsTr("sign in again")
                    kind: card.standing === "ready" ? "ok" : card.standing === "low" ? "warn" : "error"
                }
            }

            Label {
                Layout.fillWidth: true
                visible: fmt.str(card.detail) !== ""
                text: fmt.str(card.detail)
                color: Theme.text
                wrapMode: Text.Wrap
            }

            Repeater {
                model: [
                    { name: qsTr("5-hour window"), used: card.primaryUsed, reset: card.primaryReset },
                    { name: qsTr("Weekly window"), used: card.secondaryUsed, reset: card.secondaryReset }
                ]
                delegate: RowLayout {
                    required property var modelData
                    Layout.fillWidth: true
                    spacing: 10
                    Label {
                        Layout.preferredWidth: 120
                        text: modelData.name
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                    }
                    Rectangle {
                        Layout.fillWidth: true
                        implicitHeight: 8
                        radius: 4
                        color: Theme.window
                        border.color: Theme.cardBorder
                        Rectangle {
                            width: parent.width * Math.max(0, Math.min(100, modelData.used)) / 100
                            height: parent.height
                            radius: 4
                            color: modelData.used >= 90 ? Theme.error
                                 : modelData.used >= 70 ? Theme.warn : Theme.ok
                        }
                    }
                    Label {
                        Layout.preferredWidth: 190
                        text: modelData.used < 0 ? qsTr("not reported yet")
                              : qsTr("%1% used").arg(modelData.used)
                                + (fmt.str(modelData.reset) !== "" ? " · " + fmt.str(modelData.reset) : "")
                        color: Theme.text
                        font.pixelSize: Theme.smallFont
                        elide: Text.ElideRight
                    }
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 8
                Label {
                    Layout.fillWidth: true
                    text: [fmt.str(card.quotaAgo) !== "" ? qsTr("quota told %1").arg(fmt.str(card.quotaAgo)) : "",
                           fmt.str(card.expiresText)].filter(t => t !== "").join(" · ")
                    color: Theme.textMuted
                    font.pixelSize: Theme.smallFont
                    elide: Text.ElideRight
                }
                ActionButton {
                    objectName: "accountUse_" + card.account
                    visible: card.position > 1
                    text: qsTr("Use first")
                    onClicked: Backend.useAccount(card.account)
                }
                ActionButton {
                    objectName: "accountRefresh_" + card.account
                    text: qsTr("Refresh sign-in")
                    onClicked: Backend.refreshAccount(card.account)
                }
                ActionButton {
                    objectName: "accountExport_" + card.account
                    text: qsTr("Write auth.json")
                    onClicked: {
                        exportConfirm.target = card.account
                        exportConfirm.open()
                    }
                }
                ActionButton {
                    objectName: "accountRemove_" + card.account
                    kind: "danger"
                    text: qsTr("Remove")
                    onClicked: {
                        removeConfirm.target = card.account
                        removeConfirm.open()
                    }
                }
            }
        }
    }

    ConfirmDialog {
        id: exportConfirm
        objectName: "exportAccountConfirm"
        property string target
        danger: false
        title: qsTr("Switch %1 back to official?").arg(target)
        message: qsTr("Writes the sign-in the gateway holds now to %1 (the old file is kept as .bak), so Codex can talk to ChatGPT by itself. Remove the account from the gateway afterwards: two copies would spend each other's refresh tokens.").arg(Backend.defaultAuthPath())
        confirmText: qsTr("Write auth.json")
        onConfirmed: Backend.exportAccount(target, Backend.defaultAuthPath())
    }

    ConfirmDialog {
        id: removeConfirm
        objectName: "removeAccountConfirm"
        property string target
        title: qsTr("Remove %1?").arg(target)
        message: qsTr("The gateway stops using this account and forgets its tokens. Requests go to the pool's other accounts, or the next provider.")
        confirmText: qsTr("Remove")
        onConfirmed: Backend.removeAccount(target)
    }
}
