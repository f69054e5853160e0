// Gateway Bot: a small silver robot with an antenna, LED eyes on a face screen and the gateway
// emblem (an arch with an arrow passing through) on its chest.
import QtQuick
import QtQuick.Shapes
import "../parts"

Item {
    id: bot
    property real leanX: 0
    property bool animated: true
    width: 160
    height: 160

    readonly property color metal: "#dde5ee"
    readonly property color metalDark: "#93a5b8"
    readonly property color led: state === "error" ? "#ff6b5e" : state === "sleep" ? "#4f8ea0" : "#62e3ff"
    readonly property color amber: "#f0a030"

    property real wave: 0   // arms, while active
    SequentialAnimation on wave {
        running: bot.animated && bot.state === "active"
        loops: Animation.Infinite
        NumberAnimation { from: 0; to: 1; duration: 260; easing.type: Easing.InOutSine }
        NumberAnimation { from: 1; to: 0; duration: 260; easing.type: Easing.InOutSine }
        onStopped: bot.wave = 0
    }
    property real blink: 1  // the antenna light
    SequentialAnimation on blink {
        running: bot.animated && (bot.state === "error" || bot.state === "active")
        loops: Animation.Infinite
        NumberAnimation { to: 0.35; duration: bot.state === "error" ? 150 : 400 }
        NumberAnimation { to: 1; duration: bot.state === "error" ? 150 : 400 }
        onStopped: bot.blink = 1
    }

    // Antenna.
    Rectangle { x: 78.5; y: 16; width: 3; height: 18; color: bot.metalDark }
    Rectangle {
        x: 72; y: 6; width: 16; height: 16; radius: 8
        color: bot.state === "error" ? "#ff5a4a" : bot.state === "sleep" ? "#8c7a62" : bot.amber
        opacity: bot.blink
        border.color: Qt.darker(color, 1.3); border.width: 2
        Rectangle { x: 4; y: 3; width: 5; height: 4; radius: 2; color: "#ffffff"; opacity: 0.7 }
    }
    // Glow around the light while it works.
    Rectangle {
        visible: bot.state === "active"
        x: 66; y: 0; width: 28; height: 28; radius: 14
        color: "transparent"; border.color: bot.amber; border.width: 2
        opacity: 0.5 * bot.blink
    }

    // Arms (behind the body): raised and waving while active.
    Rectangle {
        x: 42; y: 101; width: 13; height: 30; radius: 6.5
        color: bot.metal; border.color: bot.metalDark; border.width: 2
        transformOrigin: Item.Top
        rotation: bot.state === "active" ? 150 + 20 * bot.wave : bot.state === "error" ? 40 : 14
    }
    Rectangle {
        x: 105; y: 101; width: 13; height: 30; radius: 6.5
        color: bot.metal; border.color: bot.metalDark; border.width: 2
        transformOrigin: Item.Top
        rotation: bot.state === "active" ? -150 - 20 * bot.wave : bot.state === "error" ? -40 : -14
    }

    // Feet.
    Rectangle { x: 56; y: 134; width: 20; height: 14; radius: 6; color: bot.metalDark }
    Rectangle { x: 84; y: 134; width: 20; height: 14; radius: 6; color: bot.metalDark }

    // Body with the emblem.
    Rectangle {
        x: 48; y: 96; width: 64; height: 44; radius: 15
        gradient: Gradient {
            GradientStop { position: 0; color: "#f2f6fa" }
            GradientStop { position: 1; color: bot.metal }
        }
        border.color: bot.metalDark; border.width: 2
    }
    Rectangle { x: 67; y: 104; width: 26; height: 26; radius: 13; color: bot.amber
                border.color: Qt.darker(bot.amber, 1.25); border.width: 1.5 }
    Shape {
        x: 67; y: 104; width: 26; height: 26
        ShapePath {   // the gate
            strokeColor: "#ffffff"; strokeWidth: 2.6; fillColor: "transparent"
            capStyle: ShapePath.RoundCap; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 7 20 L 7 12 A 6 6 0 0 1 19 12 L 19 20" }
        }
        ShapePath {   // the arrow through it
            strokeColor: "#3a2608"; strokeWidth: 2.4; fillColor: "transparent"
            capStyle: ShapePath.RoundCap; joinStyle: ShapePath.RoundJoin
            PathSvg { path: "M 3 15 L 22 15 M 18 11 L 22 15 L 18 19" }
        }
    }

    // Neck and head.
    Rectangle { x: 70; y: 90; width: 20; height: 8; color: bot.metalDark }
    Rectangle { x: 29; y: 54; width: 12; height: 20; radius: 5; color: bot.metalDark }
    Rectangle { x: 119; y: 54; width: 12; height: 20; radius: 5; color: bot.metalDark }
    Rectangle {
        x: 36; y: 28; width: 88; height: 64; radius: 22
        gradient: Gradient {
            GradientStop { position: 0; color: "#f5f8fb" }
            GradientStop { position: 1; color: bot.metal }
        }
        border.color: bot.metalDark; border.width: 2
    }
    // The face screen.
    Rectangle {
        id: screen
        x: 46; y: 38; width: 68; height: 44; radius: 14
        color: bot.state === "sleep" ? "#17212b" : "#1e2d3b"
        border.color: "#0f1821"; border.width: 2
        Rectangle { x: 6; y: 4; width: 20; height: 5; radius: 2.5; color: "#ffffff"; opacity: 0.12 }

        PetEye {
            x: 13; y: 10
            size: 15
            mode: bot.state === "active" ? "happy" : bot.state === "error" ? "x"
                  : bot.state === "sleep" ? "closed" : "open"
            color: bot.led
            shine: "#d8fbff"
            lookX: bot.leanX
            animated: bot.animated
        }
        PetEye {
            x: 40; y: 10
            size: 15
            mode: bot.state === "active" ? "happy" : bot.state === "error" ? "x"
                  : bot.state === "sleep" ? "closed" : "open"
            color: bot.led
            shine: "#d8fbff"
            lookX: bot.leanX
            animated: bot.animated
        }
        PetMouth {
            x: 27; y: 29
            size: 14
            mode: bot.state === "active" ? "open" : bot.state === "error" ? "wobbly"
                  : bot.state === "sleep" ? "flat" : "smile"
            color: bot.led
            inside: "#2f7f95"
            tongue: "#62e3ff"
            lineWidth: 2.4
        }
        // Pink cheek LEDs.
        Rectangle { x: 6; y: 28; width: 8; height: 5; radius: 2.5; color: "#ff8fb1"; opacity: bot.state === "sleep" ? 0.35 : 0.75 }
        Rectangle { x: 54; y: 28; width: 8; height: 5; radius: 2.5; color: "#ff8fb1"; opacity: bot.state === "sleep" ? 0.35 : 0.75 }
    }

    // A spark over the head on error.
    Shape {
        visible: bot.state === "error"
        x: 116; y: 8; width: 30; height: 30
        ShapePath {
            strokeColor: "#ff5a4a"; strokeWidth: 3; fillColor: "transparent"
            capStyle: ShapePath.RoundCap
            PathSvg { path: "M 4 14 L 10 16 M 10 4 L 13 11 M 22 6 L 17 12" }
        }
    }
    SleepZ { visible: bot.state === "sleep"; x: 112; y: 0; animated: bot.animated }
}
