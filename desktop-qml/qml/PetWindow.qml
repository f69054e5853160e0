// The desktop pet: a frameless, transparent, always-on-top tool window with the chosen
// character (Settings › Pet), its speech bubble, and a chat on double-click. Drag it anywhere;
// its position, character and visibility are kept in Backend.settings. It shows the state of
// Backend.pet (idle, active, error, sleep) and, while idle, leans toward the mouse cursor.
import QtQuick
import QtQuick.Controls
import QtQuick.Window
import AgentGate.Backend
import "pet"

Window {
    id: petWindow
    flags: Qt.FramelessWindowHint | Qt.WindowStaysOnTopHint | Qt.Tool
    color: "transparent"
    width: 240
    height: 250
    title: qsTr("AgentGate pet")
    // Its own top-level window: hiding the main window to the tray leaves the pet alone.
    transientParent: null
    visible: Backend.settings.petVisible

    readonly property alias chatWindow: chat
    // -1..1: where the cursor is, left or right of the pet (polled while idle).
    property real leanX: 0
    property bool placed: false

    // The saved position when it is still on a screen, else the bottom-right corner of this one.
    function place() {
        const p = Backend.settings.petPosition
        if (p.x !== -1 || p.y !== -1) {
            const screens = Qt.application.screens
            for (let i = 0; i < screens.length; ++i) {
                const s = screens[i]
                if (p.x + width / 2 >= s.virtualX && p.x + width / 2 < s.virtualX + s.width &&
                        p.y + height / 2 >= s.virtualY && p.y + height / 2 < s.virtualY + s.height) {
                    x = p.x
                    y = p.y
                    placed = true
                    return
                }
            }
        }
        x = Screen.virtualX + Screen.width - width - 40
        y = Screen.virtualY + Screen.height - height - 72
        placed = true
    }
    Component.onCompleted: place()

    // Opens the chat beside the pet (double-click, the pet's menu; main.cc may call it too).
    function openChat() {
        chat.openNear(petWindow)
    }

    // Saved once the window stops moving.
    onXChanged: if (placed) saveTimer.restart()
    onYChanged: if (placed) saveTimer.restart()
    Timer {
        id: saveTimer
        interval: 600
        onTriggered: Backend.settings.petPosition = Qt.point(petWindow.x, petWindow.y)
    }

    Timer {
        id: leanPoll
        interval: 120
        repeat: true
        running: petWindow.visible && Backend.pet.state === "idle"
        onTriggered: {
            const c = Backend.pet.cursorPosition()
            const dx = c.x - (petWindow.x + body.x + body.width / 2)
            petWindow.leanX = Math.max(-1, Math.min(1, dx / 320))
        }
        onRunningChanged: if (!leanPoll.running) petWindow.leanX = 0
    }

    SpeechBubble {
        id: bubble
        objectName: "petBubble"
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: body.top
        anchors.bottomMargin: -14
        maxWidth: petWindow.width - 8
        text: Backend.pet.bubble
    }

    PetBody {
        id: body
        objectName: "petBody"
        width: 160
        height: 160
        anchors.horizontalCenter: parent.horizontalCenter
        anchors.bottom: parent.bottom
        character: Backend.settings.petCharacter
        petState: Backend.pet.state
        leanX: petWindow.leanX
        animated: petWindow.visible
    }

    // Drag to move (the window manager's move when it offers one), double-click to chat,
    // right-click for a menu.
    MouseArea {
        id: grab
        x: body.x + 20
        y: body.y + 10
        width: body.width - 40
        height: body.height - 10
        acceptedButtons: Qt.LeftButton | Qt.RightButton
        cursorShape: dragging ? Qt.ClosedHandCursor : Qt.OpenHandCursor
        property point pressAt
        property bool dragging: false
        property bool systemMove: false

        onPressed: mouse => {
            if (mouse.button === Qt.RightButton) {
                menu.popup()
                return
            }
            pressAt = Qt.point(mouse.x, mouse.y)
            dragging = false
            systemMove = false
        }
        onPositionChanged: mouse => {
            if (!(mouse.buttons & Qt.LeftButton)) return
            if (!dragging && Math.abs(mouse.x - pressAt.x) + Math.abs(mouse.y - pressAt.y) > 6) {
                dragging = true
                systemMove = petWindow.startSystemMove()
            }
            if (dragging && !systemMove) {
                petWindow.x += mouse.x - pressAt.x
                petWindow.y += mouse.y - pressAt.y
            }
        }
        onReleased: dragging = false
        onDoubleClicked: mouse => {
            if (mouse.button === Qt.LeftButton) petWindow.openChat()
        }
    }

    Menu {
        id: menu
        MenuItem {
            text: qsTr("Chat…")
            onTriggered: petWindow.openChat()
        }
        MenuItem {
            text: qsTr("Hide pet")
            onTriggered: Backend.settings.petVisible = false
        }
    }

    PetChatWindow {
        id: chat
        objectName: "petChat"
        theme: Theme
        pet: Backend.pet
        characterName: Backend.pet.characterName(Backend.settings.petCharacter)
    }
}
