// Gateway: start and stop the local stack, its addresses, the local token (show, copy,
// regenerate) and the four services.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend
import AgentGate.Ui

ScrollPage {
    id: page
    objectName: "gatewayPage"

    title: qsTr("Gateway")
    subtitle: qsTr("The local gateway your coding agents talk to.")

    property bool showToken: false
    readonly property string url: fmt.str(Backend.gatewayUrl)
    readonly property var services: fmt.list(Backend.services)

    Fmt { id: fmt }

    function serviceUptime(s) {
        if (fmt.isNum(s.uptimeMs) && Number(s.uptimeMs) > 0) return fmt.duration(s.uptimeMs)
        if (fmt.isNum(s.startedAt) && Number(s.startedAt) > 0) return fmt.duration(Date.now() - Number(s.startedAt))
        return fmt.none
    }

    // --- status ------------------------------------------------------------------------------------
    Card {
        objectName: "gatewayStatus"
        Layout.fillWidth: true
        padding: 20

        RowLayout {
            Layout.fillWidth: true
            spacing: 16
            Rectangle {
                width: 48
                height: 48
                radius: 24
                color: Backend.connected ? fmt.tint(Theme.ok, 0.16)
                     : Backend.busy ? fmt.tint(Theme.accent, 0.16) : fmt.tint(Theme.error, 0.14)
                StatusDot {
                    anchors.centerIn: parent
                    size: 16
                    kind: Backend.connected ? "ok" : Backend.busy ? "accent" : "error"
                    pulse: Backend.connected || Backend.busy
                }
            }
            ColumnLayout {
                Layout.fillWidth: true
                spacing: 3
                Label {
                    objectName: "gatewayState"
                    text: Backend.busy ? qsTr("Working…")
                        : Backend.connected ? qsTr("Running") : qsTr("Stopped")
                    color: Theme.text
                    font.pixelSize: Theme.titleFont - 2
                    font.bold: true
                }
                Label {
                    Layout.fillWidth: true
                    text: fmt.str(Backend.statusText) !== "" ? fmt.str(Backend.statusText)
                          : Backend.connected ? qsTr("The gateway is running.") : qsTr("The gateway is not running.")
                    color: Theme.textMuted
                    wrapMode: Text.Wrap
                }
                Label {
                    Layout.fillWidth: true
                    visible: text !== "" && !Backend.busy
                    text: fmt.str(Backend.lastError)
                    color: Theme.error
                    wrapMode: Text.Wrap
                }
            }
            ActionButton {
                objectName: "startStackButton"
                visible: !Backend.connected
                kind: "primary"
                text: qsTr("Start gateway")
                busy: Backend.busy
                enabled: !Backend.busy
                onClicked: Backend.startStack()
            }
            ActionButton {
                objectName: "stopStackButton"
                visible: Backend.connected
                kind: "danger"
                text: qsTr("Stop gateway")
                busy: Backend.busy
                enabled: !Backend.busy
                onClicked: stopConfirm.open()
            }
            ActionButton {
                objectName: "gatewayRefresh"
                text: qsTr("Refresh")
                onClicked: Backend.refresh()
            }
        }
    }

    // --- addresses -----------------------------------------------------------------------------
    Card {
        objectName: "gatewayAddresses"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Addresses")
            subtitle: qsTr("Any OpenAI-compatible client works with the base URL and the local token as its API key.")
        }
        InfoRow {
            label: qsTr("Gateway")
            value: page.url
            mono: true
            CopyButton { objectName: "copyGatewayUrl"; value: page.url }
        }
        InfoRow {
            label: qsTr("OpenAI base URL")
            value: page.url !== "" ? page.url + "/v1" : ""
            mono: true
            CopyButton { objectName: "copyBaseUrl"; value: page.url !== "" ? page.url + "/v1" : "" }
        }
        InfoRow {
            label: qsTr("Admin API")
            value: fmt.str(Backend.adminAddress)
            mono: true
        }
        InfoRow {
            label: qsTr("Data folder")
            value: fmt.str(Backend.home)
            mono: true
            CopyButton { value: fmt.str(Backend.home) }
        }
    }

    // --- token ---------------------------------------------------------------------------------
    Card {
        objectName: "gatewayToken"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Local token")
            subtitle: qsTr("Clients present it instead of your provider keys. Stored in %1.")
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
                    objectName: "tokenText"
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
                objectName: "tokenShow"
                text: page.showToken ? qsTr("Hide") : qsTr("Show")
                enabled: fmt.str(Backend.token) !== ""
                onClicked: page.showToken = !page.showToken
            }
            ActionButton {
                objectName: "tokenCopy"
                text: qsTr("Copy")
                enabled: fmt.str(Backend.token) !== ""
                onClicked: Backend.copyToken()
            }
            ActionButton {
                objectName: "tokenRegenerate"
                kind: "danger"
                text: qsTr("Regenerate…")
                enabled: Backend.connected
                onClicked: regenerateConfirm.open()
            }
        }
    }

    // --- services ------------------------------------------------------------------------------
    Card {
        id: servicesCard
        objectName: "gatewayServices"
        Layout.fillWidth: true

        SectionHeader {
            title: qsTr("Services")
            subtitle: qsTr("The processes of the stack, started together and restarted if one crashes.")
        }
        Label {
            Layout.fillWidth: true
            visible: page.services.length === 0
            text: Backend.connected ? qsTr("No service reported yet.")
                                    : qsTr("No services running. Start the gateway to bring them up.")
            color: Theme.textMuted
            wrapMode: Text.Wrap
        }
        // Header (fixed labels: no Repeater in a layout, see below).
        RowLayout {
            Layout.fillWidth: true
            visible: page.services.length > 0
            spacing: 12
            Item { Layout.preferredWidth: 10 }
            Label { Layout.preferredWidth: 90; text: qsTr("Service"); color: Theme.textMuted; font.pixelSize: Theme.smallFont; font.bold: true }
            Label { Layout.fillWidth: true; text: qsTr("Address"); color: Theme.textMuted; font.pixelSize: Theme.smallFont; font.bold: true }
            Label { Layout.preferredWidth: 90; text: qsTr("Version"); color: Theme.textMuted; font.pixelSize: Theme.smallFont; font.bold: true }
            Label { Layout.preferredWidth: 90; text: qsTr("Uptime"); color: Theme.textMuted; font.pixelSize: Theme.smallFont; font.bold: true }
            Label { Layout.preferredWidth: 60; text: qsTr("Config"); color: Theme.textMuted; font.pixelSize: Theme.smallFont; font.bold: true }
            Label { Layout.preferredWidth: 70; text: qsTr("PID"); color: Theme.textMuted; font.pixelSize: Theme.smallFont; font.bold: true }
        }
        // The services change with every status poll: their Repeater sits in a Column, since
        // Qt 6.4's layouts can read a freed delegate while a Repeater inside them rebuilds.
        Column {
            Layout.fillWidth: true
            visible: page.services.length > 0
            Repeater {
                model: page.services
                delegate: Rectangle {
                    id: svc
                    required property var modelData
                    required property int index
                    readonly property bool up: modelData.up === true
                    objectName: "service_" + fmt.str(modelData.name)
                    width: servicesCard.contentWidth
                    implicitHeight: svcRow.implicitHeight + 14
                    radius: 6
                    color: index % 2 === 0 ? Theme.window : "transparent"
                    RowLayout {
                        id: svcRow
                        anchors.fill: parent
                        spacing: 12
                        StatusDot {
                            Layout.preferredWidth: 10
                            kind: svc.up ? "ok" : "error"
                        }
                        Label {
                            Layout.preferredWidth: 90
                            text: fmt.str(svc.modelData.name)
                            color: Theme.text
                            font.bold: true
                        }
                        Label {
                            Layout.fillWidth: true
                            text: fmt.str(svc.modelData.address) !== "" ? fmt.str(svc.modelData.address) : fmt.none
                            color: Theme.text
                            font.family: Theme.mono
                            font.pixelSize: Theme.smallFont
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.preferredWidth: 90
                            text: fmt.str(svc.modelData.version) !== "" ? fmt.str(svc.modelData.version) : fmt.none
                            color: Theme.textMuted
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.preferredWidth: 90
                            text: svc.up ? page.serviceUptime(svc.modelData)
                                         : (fmt.str(svc.modelData.health) !== "" ? fmt.str(svc.modelData.health) : qsTr("down"))
                            color: svc.up ? Theme.textMuted : Theme.error
                            elide: Text.ElideRight
                        }
                        Label {
                            Layout.preferredWidth: 60
                            text: fmt.isNum(svc.modelData.configVersion) ? "v" + svc.modelData.configVersion : fmt.none
                            color: Theme.textMuted
                        }
                        Label {
                            Layout.preferredWidth: 70
                            text: fmt.isNum(svc.modelData.pid) && Number(svc.modelData.pid) > 0
                                  ? String(svc.modelData.pid) : fmt.none
                            color: Theme.textMuted
                        }
                    }
                }
            }
        }
    }

    ConfirmDialog {
        id: regenerateConfirm
        objectName: "regenerateTokenConfirm"
        title: qsTr("Regenerate the local token?")
        message: qsTr("The old token stops working at once. Clients configured with it fail until you apply them again on the Clients page.")
        confirmText: qsTr("Regenerate")
        onConfirmed: Backend.regenerateToken()
    }
    ConfirmDialog {
        id: stopConfirm
        objectName: "stopStackConfirm"
        title: qsTr("Stop the gateway?")
        message: qsTr("Agents that use the gateway cannot reach their providers until it runs again.")
        confirmText: qsTr("Stop")
        onConfirmed: Backend.stopStack()
    }
}
