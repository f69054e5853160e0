// The main window: a sidebar of pages, the status banner (offers to start the stack when it is
// not running), the current page, and toasts for Backend.notify. Closing the window hides it to
// the tray when Settings › "Keep running in the tray" is on (main.cc decides).
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import AgentGate.Backend

ApplicationWindow {
    id: root
    width: 1180
    height: 760
    minimumWidth: 900
    minimumHeight: 600
    title: qsTr("AgentGate")
    color: Theme.window

    // The page shown: one of pageIds. The screenshot tool sets it directly.
    property string currentPage: Backend.quickSetupVisible ? "setup" : "overview"
    readonly property var pageIds: ["overview", "setup", "providers", "accounts", "routes",
                                    "gateway", "clients", "toolbox", "logs", "diagnostics", "settings"]
    function pageTitle(id) {
        switch (id) {
        case "overview": return qsTr("Overview")
        case "setup": return qsTr("Quick Setup")
        case "providers": return qsTr("Providers")
        case "accounts": return qsTr("Accounts")
        case "routes": return qsTr("Routes")
        case "gateway": return qsTr("Gateway")
        case "clients": return qsTr("Clients")
        case "toolbox": return qsTr("MCP & Skills")
        case "logs": return qsTr("Logs")
        case "diagnostics": return qsTr("Diagnostics")
        case "settings": return qsTr("Settings")
        }
        return id
    }
    function pageSource(id) {
        switch (id) {
        case "overview": return "pages/OverviewPage.qml"
        case "setup": return "pages/QuickSetupPage.qml"
        case "providers": return "pages/ProvidersPage.qml"
        case "accounts": return "pages/AccountsPage.qml"
        case "routes": return "pages/RoutesPage.qml"
        case "gateway": return "pages/GatewayPage.qml"
        case "clients": return "pages/ClientsPage.qml"
        case "toolbox": return "pages/ToolboxPage.qml"
        case "logs": return "pages/LogsPage.qml"
        case "diagnostics": return "pages/DiagnosticsPage.qml"
        case "settings": return "pages/SettingsPage.qml"
        }
        return ""
    }

    palette.window: Theme.window
    palette.windowText: Theme.text
    palette.base: Theme.input
    palette.text: Theme.text
    palette.button: Theme.card
    palette.buttonText: Theme.text
    palette.highlight: Theme.accent
    palette.highlightedText: Theme.accentText
    palette.placeholderText: Theme.textMuted
    palette.mid: Theme.cardBorder
    palette.light: Theme.card
    palette.dark: Theme.cardBorder
    font.pixelSize: Theme.fontSize

    RowLayout {
        anchors.fill: parent
        spacing: 0

        Rectangle {
            Layout.fillHeight: true
            Layout.preferredWidth: 210
            color: Theme.sidebar

            ColumnLayout {
                anchors.fill: parent
                anchors.margins: 12
                spacing: 4

                Label {
                    text: "AgentGate"
                    font.pixelSize: 20
                    font.bold: true
                    color: Theme.accent
                    Layout.bottomMargin: 12
                    Layout.leftMargin: 8
                }
                // A Repeater whose model changes must not sit directly in a Layout (Qt 6.4
                // crashes in QQuickLayout when it does): it lives in a Column.
                Column {
                    Layout.fillWidth: true
                    spacing: 4
                    Repeater {
                        model: root.pageIds.filter(id => id !== "setup" || Backend.quickSetupVisible)
                        delegate: ItemDelegate {
                            required property string modelData
                            objectName: "nav_" + modelData
                            width: 186
                            text: root.pageTitle(modelData)
                            highlighted: root.currentPage === modelData
                            onClicked: root.currentPage = modelData
                            background: Rectangle {
                                radius: 8
                                color: parent.highlighted ? Theme.accentSoft
                                     : parent.hovered ? Theme.card : "transparent"
                            }
                            contentItem: Label {
                                text: parent.text
                                color: parent.highlighted ? Theme.accent : Theme.text
                                font.bold: parent.highlighted
                            }
                        }
                    }
                }
                Item { Layout.fillHeight: true }
                RowLayout {
                    spacing: 8
                    Layout.leftMargin: 8
                    Rectangle {
                        width: 10; height: 10; radius: 5
                        color: Backend.connected ? Theme.ok : Theme.error
                    }
                    Label {
                        text: Backend.connected ? qsTr("Gateway running") : qsTr("Gateway stopped")
                        color: Theme.textMuted
                        font.pixelSize: Theme.smallFont
                    }
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            spacing: 0

            // Shown while the admin API cannot be reached.
            Rectangle {
                objectName: "offlineBanner"
                Layout.fillWidth: true
                visible: !Backend.connected
                implicitHeight: bannerRow.implicitHeight + 20
                color: Theme.accentSoft
                RowLayout {
                    id: bannerRow
                    anchors.fill: parent
                    anchors.margins: 10
                    anchors.leftMargin: Theme.pagePadding
                    Label {
                        Layout.fillWidth: true
                        wrapMode: Text.Wrap
                        color: Theme.text
                        text: Backend.busy ? Backend.statusText
                              : Backend.lastError !== "" ? Backend.lastError
                              : qsTr("The gateway is not running.")
                    }
                    ActionButton {
                        objectName: "bannerStartButton"
                        kind: "primary"
                        text: qsTr("Start gateway")
                        busy: Backend.busy
                        onClicked: Backend.startStack()
                    }
                }
            }

            Loader {
                id: pageLoader
                objectName: "pageLoader"
                Layout.fillWidth: true
                Layout.fillHeight: true
                source: root.pageSource(root.currentPage)
            }
        }
    }

    // Toasts: the last few notifications, newest at the bottom, each for 4 s.
    ListModel { id: toasts }
    Connections {
        target: Backend
        function onNotify(message, error) {
            toasts.append({ message: message, error: error })
            if (toasts.count > 3) toasts.remove(0)
            toastTimer.restart()
        }
    }
    Timer {
        id: toastTimer
        interval: 4000
        onTriggered: { if (toasts.count > 0) { toasts.remove(0); if (toasts.count > 0) restart() } }
    }
    Column {
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 16
        spacing: 8
        Repeater {
            model: toasts
            delegate: Rectangle {
                required property string message
                required property bool error
                width: Math.min(420, toastText.implicitWidth + 28)
                height: toastText.implicitHeight + 18
                radius: 8
                color: error ? Theme.error : Theme.card
                border.color: Theme.cardBorder
                Label {
                    id: toastText
                    anchors.centerIn: parent
                    width: Math.min(392, implicitWidth)
                    wrapMode: Text.Wrap
                    text: parent.message
                    color: parent.error ? "#ffffff" : Theme.text
                }
            }
        }
    }

    PetWindow {
        id: pet
        objectName: "petWindow"
    }
}
