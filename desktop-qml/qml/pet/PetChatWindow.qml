// The pet's chat: a small window with the transcript (Backend.pet.chat) and a line to type in.
// Answers come through the user's own gateway (PetController::sendChat); while one is on its
// way the pet shows "…" and the send button waits.
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import QtQuick.Window

Window {
    id: chatWindow
    // The app's Theme singleton (colours), and Backend.pet.
    required property var theme
    required property var pet
    property string characterName: ""

    width: 360
    height: 480
    minimumWidth: 280
    minimumHeight: 320
    flags: Qt.Window | Qt.WindowStaysOnTopHint
    transientParent: null
    title: qsTr("Chat with %1").arg(characterName)
    color: theme.window

    function onScreen(px, py) {
        const screens = Qt.application.screens
        for (let i = 0; i < screens.length; ++i) {
            const s = screens[i]
            if (px >= s.virtualX && px < s.virtualX + s.width && py >= s.virtualY && py < s.virtualY + s.height)
                return true
        }
        return false
    }
    // Shows the window beside `win` (left of it when there is room) and focuses the input.
    function openNear(win) {
        const left = win.x - width - 12
        x = onScreen(left, win.y) ? left : win.x + win.width + 12
        y = onScreen(x, win.y + win.height - height) ? win.y + win.height - height : win.y
        show()
        // (The offscreen platform of the tests cannot raise a window, and says so.)
        if (Qt.platform.pluginName !== "offscreen") raise()
        requestActivate()
        input.forceActiveFocus()
    }
    function send() {
        const text = input.text.trim()
        if (text === "" || chatWindow.pet.chatBusy) return
        chatWindow.pet.sendChat(text)
        input.clear()
    }

    Shortcut {
        sequence: StandardKey.Cancel
        onActivated: chatWindow.close()
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 10

        RowLayout {
            Layout.fillWidth: true
            Label {
                Layout.fillWidth: true
                text: chatWindow.characterName
                font.bold: true
                font.pixelSize: 16
                color: chatWindow.theme.text
            }
            ToolButton {
                id: clearButton
                objectName: "petChatClear"
                text: qsTr("Clear")
                enabled: !chatWindow.pet.chatBusy
                onClicked: chatWindow.pet.clearChat()
                contentItem: Label {
                    text: clearButton.text
                    color: chatWindow.theme.textMuted
                    font.pixelSize: 12
                }
                background: Item {}
            }
        }

        ListView {
            id: list
            objectName: "petChatList"
            Layout.fillWidth: true
            Layout.fillHeight: true
            clip: true
            spacing: 8
            model: chatWindow.pet.chat
            // Follows the conversation: a new line or a reply replacing "…".
            onContentHeightChanged: scrollLater.restart()
            Timer {
                id: scrollLater
                interval: 0
                onTriggered: list.positionViewAtEnd()
            }
            ScrollBar.vertical: ScrollBar {}
            delegate: Item {
                id: line
                required property string role
                required property string text
                required property bool pending
                readonly property bool mine: role === "user"
                width: ListView.view.width
                height: box.height
                Rectangle {
                    id: box
                    x: line.mine ? parent.width - width : 0
                    width: Math.min(line.width * 0.84, label.implicitWidth + 22)
                    height: label.height + 14
                    radius: 12
                    color: line.mine ? chatWindow.theme.accent : chatWindow.theme.card
                    border.color: line.mine ? "transparent" : chatWindow.theme.cardBorder
                    Label {
                        id: label
                        x: 11
                        y: 7
                        width: Math.min(line.width * 0.84 - 22, implicitWidth)
                        text: line.pending ? "•••" : line.text
                        wrapMode: Text.Wrap
                        textFormat: Text.PlainText
                        color: line.mine ? chatWindow.theme.accentText : chatWindow.theme.text
                        SequentialAnimation on opacity {
                            running: line.pending
                            loops: Animation.Infinite
                            NumberAnimation { to: 0.3; duration: 500 }
                            NumberAnimation { to: 1; duration: 500 }
                            onStopped: label.opacity = 1
                        }
                    }
                }
            }
        }

        RowLayout {
            Layout.fillWidth: true
            spacing: 8
            TextField {
                id: input
                objectName: "petChatInput"
                Layout.fillWidth: true
                placeholderText: qsTr("Say something…")
                color: chatWindow.theme.text
                placeholderTextColor: chatWindow.theme.textMuted
                onAccepted: chatWindow.send()
                background: Rectangle {
                    radius: 8
                    color: chatWindow.theme.input
                    border.color: input.activeFocus ? chatWindow.theme.accent : chatWindow.theme.cardBorder
                }
            }
            Button {
                id: sendButton
                objectName: "petChatSend"
                text: qsTr("Send")
                enabled: input.text.trim() !== "" && !chatWindow.pet.chatBusy
                onClicked: chatWindow.send()
                contentItem: Label {
                    text: sendButton.text
                    color: chatWindow.theme.accentText
                    horizontalAlignment: Text.AlignHCenter
                    verticalAlignment: Text.AlignVCenter
                }
                background: Rectangle {
                    implicitWidth: 64
                    implicitHeight: 34
                    radius: 8
                    color: chatWindow.theme.accent
                    opacity: sendButton.enabled ? 1 : 0.45
                }
            }
        }
    }
}
